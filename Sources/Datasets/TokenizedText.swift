/// A text as the model reads it: token ids and the vocabulary's tokens for them, `[CLS]` first
/// and `[SEP]` last.
public struct TokenizedText: Equatable, Sendable {
    public var ids: [Int]
    public var tokens: [String]

    public init(ids: [Int], tokens: [String]) {
        self.ids = ids
        self.tokens = tokens
    }
}
