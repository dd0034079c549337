/// What every optimiser offers (NSGA-II, random search): run on a problem, report progress once
/// per generation or batch, return what it found. A caller holds `any Optimizer` and runs it,
/// whichever algorithm it is.
public protocol Optimizer: Sendable {
    /// The algorithm's name for people, as recorded in Pareto set files ("NSGA-II").
    var title: String { get }
    func run(_ problem: some OptimizationProblem, progress: ((SearchProgress) -> Void)?) throws -> SearchResult
}
