import Optimization
import Support
import SuperNet

/// A search space as an optimisation problem: genomes of choice indices decode to sub-networks,
/// which the objectives score; budgets on any objective become constraints.
///
/// Genes can be narrowed to a subset of their choices (`restrictions`): the resolution is fixed
/// when the accuracy data cover one resolution only, or limited to the resolutions a cost table
/// was profiled at.
public struct SpaceProblem: OptimizationProblem {
    public let space: any SearchSpace
    /// What the optimiser trades off, in order.
    public let objectives: [any Objective]
    public let constraints: [SearchConstraint]
    /// The objective each constraint is measured by (an objective itself, or an extra measure).
    let constraintMeasures: [any Objective]
    /// Per genome slot: the gene's name, and the values the slot may take.
    let slots: [(gene: String, values: [Int])]

    /// `measures` supplies the objective for a constraint on something that is not an
    /// objective (`--max latency=8ms` in an accuracy/MACs search); `restrictions` narrows genes.
    public init(space: any SearchSpace, objectives: [any Objective], constraints: [SearchConstraint] = [],
                measures: [any Objective] = [], restrictions: [String: [Int]] = [:]) throws {
        let all = objectives + measures
        constraintMeasures = try constraints.map { constraint in
            guard let measure = all.first(where: { $0.kind == constraint.objective }) else {
                throw HwnasError("the constraint \(constraint) needs a \(constraint.objective.rawValue) source")
            }
            return measure
        }
        for name in restrictions.keys where space.gene(named: name) == nil {
            throw HwnasError("\(space.name) has no gene '\(name)'")
        }
        var slots: [(String, [Int])] = []
        for gene in space.genes {
            var values = gene.choices
            if let allowed = restrictions[gene.name] {
                values = gene.choices.filter(allowed.contains)
                guard !values.isEmpty else {
                    throw HwnasError("gene '\(gene.name)' of \(space.name) takes \(gene.choices.map(String.init).joined(separator: ", ")); none of \(allowed.map(String.init).joined(separator: ", "))")
                }
            }
            slots += Array(repeating: (gene.name, values), count: gene.length)
        }
        self.space = space
        self.objectives = objectives
        self.constraints = constraints
        self.slots = slots
    }

    public var genes: [GeneDomain] { slots.map { .choice(count: $0.values.count) } }
    public var objectivesCount: Int { objectives.count }

    /// The sub-network a genome encodes (indices into each slot's allowed values).
    public func subnet(of genome: [Double]) -> Subnet {
        var values: [String: [Int]] = [:]
        for (slot, entry) in slots.enumerated() {
            let index = min(max(Int(genome[slot].rounded()), 0), entry.values.count - 1)
            values[entry.gene, default: []].append(entry.values[index])
        }
        return Subnet(values: values)
    }

    /// The genome of a sub-network; nil when a value lies outside the allowed choices.
    public func genome(of subnet: Subnet) -> [Double]? {
        var genome: [Double] = []
        var position: [String: Int] = [:]
        for entry in slots {
            let slot = position[entry.gene, default: 0]
            position[entry.gene] = slot + 1
            guard let index = entry.values.firstIndex(of: subnet[entry.gene][slot]) else { return nil }
            genome.append(Double(index))
        }
        return genome
    }

    public func evaluate(_ genome: [Double]) -> Evaluation {
        evaluate(subnet(of: genome))
    }

    public func evaluate(_ subnet: Subnet) -> Evaluation {
        let values = objectives.map { $0.sense.minimized($0.value(of: subnet)) }
        var violation = 0.0
        for (constraint, measure) in zip(constraints, constraintMeasures) {
            violation += constraint.violation(measure.value(of: subnet))
        }
        return Evaluation(objectives: values, violation: violation)
    }

    /// Each constraint's measured value for a sub-network, in constraint order.
    public func constraintValues(of subnet: Subnet) -> [Double] {
        constraintMeasures.map { $0.value(of: subnet) }
    }

    /// The genes narrowed to one value, with that value (reported as "fixed").
    public var fixedGenes: [String: Int] {
        var fixed: [String: Int] = [:]
        for gene in space.genes {
            let values = Set(slots.filter { $0.gene == gene.name }.flatMap(\.values))
            if values.count == 1, gene.choices.count > 1 { fixed[gene.name] = values.first! }
        }
        return fixed
    }
}
