import Foundation
import Optimization
import Support
import SuperNet

/// One search of a space for one device: NSGA-II over the problem, then the Pareto set with
/// its hypervolume history, reference point and provenance, ready to be written.
public struct DeviceSearch: Sendable {
    public var problem: SpaceProblem
    public var device: String
    public var settings: NSGA2Settings
    /// The hypervolume reference in natural units, one per objective; nil: the worst value of
    /// each objective in the final population plus 10% of its range.
    public var reference: [Double]?
    /// Sources of the CSV's latency and metric columns when they are not objectives.
    public var latency: (any Objective)?
    public var accuracy: (any Objective)?
    public var provenance: ParetoSet.Provenance
    /// Genes narrowed to some of their choices, recorded in the set.
    public var restrictedGenes: [String: [Int]]
    /// NSGA-II, or the random-search baseline with the same number of evaluations.
    public var algorithm: SearchAlgorithm = .nsga2

    public init(problem: SpaceProblem, device: String, settings: NSGA2Settings, reference: [Double]? = nil,
                latency: (any Objective)? = nil, accuracy: (any Objective)? = nil,
                provenance: ParetoSet.Provenance, restrictedGenes: [String: [Int]] = [:]) {
        self.problem = problem
        self.device = device
        self.settings = settings
        self.reference = reference
        self.latency = latency
        self.accuracy = accuracy
        self.provenance = provenance
        self.restrictedGenes = restrictedGenes
    }

    /// Runs the search. Throws when no sub-network satisfies the constraints, naming the
    /// closest one found and how far it is from each bound.
    public func run(progress: ((SearchProgress) -> Void)? = nil) throws -> ParetoSet {
        let objectives = problem.objectives
        if let reference, reference.count != objectives.count {
            throw HwnasError("--reference has \(reference.count) values for \(objectives.count) objectives (\(objectives.map(\.name).joined(separator: ",")))")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let optimizer = algorithm.optimizer(settings)
        let result = try optimizer.run(problem, progress: progress)
        let elapsed = start.duration(to: clock.now)
        guard !result.front.isEmpty else {
            throw noFeasibleError(result)
        }
        let (minimizedReference, source) = referencePoint(result)
        let volume = Hypervolume.of(result.frontObjectives, reference: minimizedReference)
        let history = result.hypervolumeHistory(reference: minimizedReference).map(\.value)
        let space = problem.space
        var members = result.front.map { individual -> ParetoMember in
            let subnet = problem.subnet(of: individual.genome)
            var values: [ObjectiveKind: Double] = [:]
            for (objective, value) in zip(objectives, individual.evaluation.objectives) {
                values[objective.kind] = objective.sense.minimized(value)
            }
            var member = ParetoMember(subnet: SubnetJSON(space: space, subnet: subnet), values: values,
                                      macs: space.macs(of: subnet), params: space.params(of: subnet),
                                      latencyMs: values[.latency] ?? latency?.value(of: subnet),
                                      accuracy: values[.accuracy] ?? accuracy?.value(of: subnet))
            if (accuracy as? AccuracyObjective)?.isMeasured == true { member.measuredAccuracy = member.accuracy }
            return member
        }
        let first = objectives[0].kind
        members.sort { ($0.values[first] ?? 0) < ($1.values[first] ?? 0) }
        let fixed = problem.fixedGenes
        return ParetoSet(
            space: space.name, device: device, objectives: objectives, metric: space.metricColumn,
            reference: zip(minimizedReference, objectives).map { $1.sense.minimized($0) },
            referenceSource: source, hypervolume: volume.value,
            hypervolumeMethod: volume.isExact ? "exact" : "monte-carlo", hypervolumeStandardError: volume.standardError,
            hypervolumeHistory: history, front: members, provenance: provenance,
            settings: ParetoSet.Settings(
                algorithm: optimizer.title, population: settings.population, generations: settings.generations,
                seed: settings.seed, evaluations: result.evaluations, constraints: problem.constraints.map(\.description),
                fixedGenes: fixed, restrictedGenes: restrictedGenes.filter { fixed[$0.key] == nil }),
            elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// The reference point in minimised form, and how it was chosen.
    func referencePoint(_ result: SearchResult) -> ([Double], String) {
        let objectives = problem.objectives
        if let reference {
            return (zip(reference, objectives).map { $1.sense.minimized($0) }, "given")
        }
        let values = result.population.map(\.evaluation.objectives)
        let point = (0..<objectives.count).map { k -> Double in
            let column = values.map { $0[k] }
            let worst = column.max()!, best = column.min()!
            let range = worst - best
            return worst + (range > 0 ? 0.1 * range : max(0.1 * abs(worst), 1e-9))
        }
        return (point, "worst of the final population plus 10% of its range")
    }

    func noFeasibleError(_ result: SearchResult) -> HwnasError {
        var message = "no sub-network of \(problem.space.name) satisfies \(problem.constraints.map(\.description).joined(separator: " and ")) on \(device) (\(result.evaluations) evaluated)"
        if let closest = result.bestInfeasible {
            let subnet = problem.subnet(of: closest.genome)
            let measured = zip(problem.constraints, problem.constraintValues(of: subnet)).map { constraint, value in
                "\(constraint.objective.rawValue) \(SearchConstraint.format(value, constraint.objective))"
            }
            message += "; the closest has \(measured.joined(separator: ", ")): \(problem.space.jsonString(subnet))"
        }
        return HwnasError(message)
    }
}
