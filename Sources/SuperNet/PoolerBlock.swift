/// BERT's pooler: the first token through a dense layer and tanh.
public struct PoolerBlock: BlockConfiguration {
    public var sequence: Int
    public var hidden: Int

    public init(sequence: Int, hidden: Int) {
        self.sequence = sequence
        self.hidden = hidden
    }

    public var key: String { "pooler-seq:\(sequence)-hidden:\(hidden)" }
    public var input: TensorShape { .sequence(length: sequence, features: hidden) }
    public var output: TensorShape { .vector(hidden) }
    public var macs: Int { hidden * hidden }
    public var params: Int { hidden * hidden + hidden }
}
