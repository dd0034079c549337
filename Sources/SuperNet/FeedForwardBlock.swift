/// The transformer MLP: linear to `intermediate`, GELU, linear back, residual and layer norm.
public struct FeedForwardBlock: BlockConfiguration {
    public var sequence: Int
    public var hidden: Int
    public var intermediate: Int
    public var norm: AttentionBlock.Norm

    public init(sequence: Int, hidden: Int, intermediate: Int, norm: AttentionBlock.Norm) {
        self.sequence = sequence
        self.hidden = hidden
        self.intermediate = intermediate
        self.norm = norm
    }

    public var key: String { "ffn-seq:\(sequence)-hidden:\(hidden)-inter:\(intermediate)" }
    public var input: TensorShape { .sequence(length: sequence, features: hidden) }
    public var output: TensorShape { input }
    public var macs: Int { 2 * sequence * hidden * intermediate }
    public var params: Int { hidden * intermediate + intermediate + intermediate * hidden + hidden + 2 * hidden }
}
