/// Graph values a block reads besides its main input: the token types of an embedding, and
/// the additive attention bias ([N, 1, 1, S]: 0 on tokens, the most negative float on padding)
/// of a sub-network that takes an attention mask.
public struct OnnxSideInputs: Sendable {
    public var tokenTypes: String?
    public var attentionBias: String?

    public init(tokenTypes: String? = nil, attentionBias: String? = nil) {
        self.tokenTypes = tokenTypes
        self.attentionBias = attentionBias
    }
}
