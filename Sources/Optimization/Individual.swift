/// One evaluated genome.
public struct Individual: Hashable, Sendable {
    public var genome: [Double]
    public var evaluation: Evaluation

    public init(genome: [Double], evaluation: Evaluation) {
        self.genome = genome
        self.evaluation = evaluation
    }
}
