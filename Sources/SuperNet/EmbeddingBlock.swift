/// BERT's embeddings: word, position and token-type lookups summed, then layer norm.
public struct EmbeddingBlock: BlockConfiguration {
    public var sequence: Int
    public var hidden: Int
    public var vocabulary: Int
    public var positions: Int
    public var tokenTypes: Int

    public init(sequence: Int, hidden: Int, vocabulary: Int = 30522, positions: Int = 512, tokenTypes: Int = 2) {
        self.sequence = sequence
        self.hidden = hidden
        self.vocabulary = vocabulary
        self.positions = positions
        self.tokenTypes = tokenTypes
    }

    /// The layer norm's epsilon (BERT's).
    public var normEpsilon: Float { 1e-12 }

    public var key: String { "embed-seq:\(sequence)-hidden:\(hidden)-vocab:\(vocabulary)" }
    public var input: TensorShape { .vector(sequence) }
    public var output: TensorShape { .sequence(length: sequence, features: hidden) }
    /// Lookups multiply nothing.
    public var macs: Int { 0 }
    public var params: Int { (vocabulary + positions + tokenTypes) * hidden + 2 * hidden }
}
