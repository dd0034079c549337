/// Where a running search is, reported once per generation (per batch for random search).
public struct SearchProgress: Hashable, Sendable {
    /// The generation just finished, from 1 (the initial population) to `generations`.
    public var generation: Int
    public var generations: Int
    /// Evaluations so far.
    public var evaluations: Int
    /// Feasible non-dominated points found so far (in the population, or the archive).
    public var frontSize: Int
}
