/// A growing set of mutually non-dominated individuals with distinct objective vectors: a new
/// individual enters unless a member dominates or equals it, and evicts the members it dominates.
public struct ParetoArchive: Sendable {
    public private(set) var members: [Individual] = []

    public init() {}

    /// Offers `individual` (its evaluation taken as feasible); returns whether it entered.
    @discardableResult
    public mutating func insert(_ individual: Individual) -> Bool {
        let point = individual.evaluation.objectives
        for member in members {
            let other = member.evaluation.objectives
            if other == point || DominanceRelation.pareto(other, point) == .dominates { return false }
        }
        members.removeAll { DominanceRelation.pareto(point, $0.evaluation.objectives) == .dominates }
        members.append(individual)
        return true
    }

    /// The members in lexicographic order of their objectives.
    public var sorted: [Individual] {
        members.sorted { $0.evaluation.objectives.lexicographicallyPrecedes($1.evaluation.objectives) }
    }
}
