/// What a search (NSGA-II or random search) found.
public struct SearchResult: Sendable {
    /// The final population (NSGA-II), or the final archive (random search).
    public var population: [Individual]
    /// The feasible, non-dominated individuals of `population`, one per distinct objective
    /// vector, in lexicographic order of their objectives. Empty when nothing feasible was found.
    public var front: [Individual]
    /// After each generation (the first entry: the initial population), the objective vectors of
    /// the feasible non-dominated individuals, deduplicated as `front`: with a reference point,
    /// `hypervolumeHistory(reference:)` turns it into the search's progress.
    public var frontHistory: [[[Double]]]
    /// How many genomes were evaluated.
    public var evaluations: Int
    /// Of every infeasible genome evaluated, the one with the smallest violation (the first
    /// found among equals); `nil` when none was infeasible. When `front` is empty it is the
    /// closest the search came to satisfying the constraints.
    public var bestInfeasible: Individual?

    public init(population: [Individual], front: [Individual], frontHistory: [[[Double]]], evaluations: Int, bestInfeasible: Individual?) {
        self.population = population
        self.front = front
        self.frontHistory = frontHistory
        self.evaluations = evaluations
        self.bestInfeasible = bestInfeasible
    }

    /// The objective vectors of `front`.
    public var frontObjectives: [[Double]] { front.map(\.evaluation.objectives) }

    /// The hypervolume of the front after each generation.
    public func hypervolumeHistory(reference: [Double], samples: Int = 100_000, seed: UInt64 = 1) -> [Hypervolume] {
        frontHistory.map { Hypervolume.of($0, reference: reference, samples: samples, seed: seed) }
    }
}
