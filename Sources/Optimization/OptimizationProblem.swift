/// A multi-objective minimisation problem over a fixed-length genome: the seam between the
/// optimisers (NSGA-II, random search) and what they optimise (a search space on a device, or
/// a standard test problem).
public protocol OptimizationProblem: Sendable {
    /// One domain per gene; the genome's length is `genes.count`.
    var genes: [GeneDomain] { get }
    /// How many values `evaluate` returns in `objectives`.
    var objectivesCount: Int { get }
    /// Evaluates a genome whose choice genes hold whole numbers inside their domains.
    func evaluate(_ genome: [Double]) -> Evaluation
}
