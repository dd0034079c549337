import ArgumentParser
import Foundation
import Search
import Support
import SuperNet

extension SearchAlgorithm: ExpressibleByArgument {}

/// The options of a search over a space, shared by `search` and `compare` (which searches the
/// devices that have no saved Pareto set).
struct SpaceSearchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Two or more of accuracy, latency, macs, params, comma-separated (default: accuracy,latency with an accuracy source, else latency,macs).", valueName: "list"))
    var objectives: String?

    @Option(name: .customLong("accuracy-data"), parsing: .upToNextOption,
            help: ArgumentHelp("DyNAS-T results CSVs with measured accuracy: fits a predictor, or reuses the saved fit of the same data.", valueName: "file"))
    var accuracyData: [String] = []

    @Option(help: ArgumentHelp("A saved accuracy predictor (`hwnas predictor fit`).", valueName: "file"))
    var predictor: String?

    @Option(name: .customLong("predictors-dir"), help: "Where fitted predictors are saved and looked up.")
    var predictorsDir = "predictors"

    @Option(name: .customLong("max"), help: ArgumentHelp("Upper bound, e.g. latency=8ms or macs=300M (repeatable).", valueName: "name=value"))
    var maxima: [String] = []

    @Option(name: .customLong("min"), help: ArgumentHelp("Lower bound, e.g. accuracy=75 (repeatable).", valueName: "name=value"))
    var minima: [String] = []

    @Option(help: "nsga2, or random: the baseline, uniform sub-networks with the same number of evaluations.")
    var algorithm: SearchAlgorithm = .nsga2

    @Option(help: "Population size.")
    var population = 100

    @Option(help: "Generations (evaluations = population x generations).")
    var generations = 200

    @Option(help: "Seed: the same seed and settings give the same front.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Hypervolume reference point, one value per objective in its unit (default: worst of the final population plus 10% of its range).", valueName: "v1,v2,..."))
    var reference: String?

    var hasAccuracySource: Bool { !accuracyData.isEmpty || predictor != nil }

    func objectiveKinds(space: any SearchSpace) throws -> [ObjectiveKind] {
        if let objectives { return try ObjectiveKind.parseList(objectives) }
        return hasAccuracySource ? [.accuracy, .latency] : [.latency, .macs]
    }

    func constraints() throws -> [SearchConstraint] {
        try maxima.map { try SearchConstraint(parsing: $0, bound: .max) }
            + minima.map { try SearchConstraint(parsing: $0, bound: .min) }
    }

    func nsga2Settings() throws -> NSGA2Settings {
        let settings = NSGA2Settings(population: population, generations: generations, seed: seed)
        try settings.validate()
        return settings
    }

    func referencePoint() throws -> [Double]? {
        try reference.map { text in
            try text.split(separator: ",").map { part in
                guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw HwnasError("--reference '\(text)': '\(part)' is not a number")
                }
                return value
            }
        }
    }

    /// The plan for every device: objectives, bounds, accuracy source and settings checked once.
    func plan(space: any SearchSpace, kinds: [ObjectiveKind], warn: (String) -> Void, say: (String) -> Void) throws -> SearchPlan {
        if !accuracyData.isEmpty, predictor != nil {
            throw HwnasError("give --accuracy-data or --predictor, not both")
        }
        let constraints = try constraints()
        let reference = try referencePoint()
        if let reference, reference.count != kinds.count {
            throw HwnasError("--reference has \(reference.count) values for \(kinds.count) objectives (\(kinds.map(\.rawValue).joined(separator: ",")))")
        }
        let needsAccuracy = kinds.contains(.accuracy) || constraints.contains { $0.objective == .accuracy }
        var plan = SearchPlan(space: space, kinds: kinds, constraints: constraints, accuracy: nil, predictorPath: nil,
                              accuracyFixedGenes: [:], settings: try nsga2Settings(), reference: reference,
                              algorithm: algorithm)
        if needsAccuracy {
            guard hasAccuracySource else {
                throw HwnasError("the objective 'accuracy' needs an accuracy source: --accuracy-data FILE (DyNAS-T results CSVs with '\(space.metricColumn)') or --predictor FILE")
            }
            let loaded = try AccuracySource.load(space: space, accuracyData: accuracyData, predictor: predictor,
                                                 predictorsDir: predictorsDir, say: say)
            plan.accuracy = loaded.objective
            plan.predictorPath = loaded.path
            plan.accuracyFixedGenes = loaded.fixedGenes
            for (gene, value) in loaded.fixedGenes.sorted(by: { $0.key < $1.key }) {
                say("the accuracy data hold \(gene) = \(value) only: the search keeps \(gene) at \(value)")
            }
        } else if hasAccuracySource {
            warn("accuracy is neither an objective nor bounded: --accuracy-data/--predictor ignored")
        }
        return plan
    }
}
