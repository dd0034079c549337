/// What a problem says about one genome: objective values, all minimised, and how far it is
/// from satisfying the constraints.
public struct Evaluation: Hashable, Sendable {
    /// Objective values, each to be minimised (a maximised quantity is negated by the problem).
    public var objectives: [Double]
    /// Total constraint violation: 0 when every constraint holds, else a positive sum of
    /// normalised excesses, so that constrained domination can rank infeasible genomes.
    public var violation: Double

    public init(objectives: [Double], violation: Double = 0) {
        self.objectives = objectives
        self.violation = violation
    }

    public var isFeasible: Bool { violation <= 0 }
}
