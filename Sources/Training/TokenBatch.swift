import Support

/// One batch of tokenised sequences padded to a common length, as a BERT model takes it:
/// `input_ids`, `token_type_ids`, `attention_mask` ([batch, length] row-major each) and one
/// label per sequence.
public struct TokenBatch: Equatable, Sendable {
    public let batch: Int
    public let length: Int
    public let ids: [Int32]
    public let tokenTypes: [Int32]
    /// 1 for a token, 0 for padding.
    public let attentionMask: [Int32]
    /// One class per sequence (may be empty when the batch is only evaluated).
    public let labels: [Int32]

    /// Token types default to 0 and the mask to all ones. Throws when a field has the wrong
    /// number of values.
    public init(
        batch: Int, length: Int, ids: [Int32], tokenTypes: [Int32]? = nil, attentionMask: [Int32]? = nil,
        labels: [Int32] = []
    ) throws(HwnasError) {
        guard batch > 0, length > 0 else { throw HwnasError("token batch of \(batch) x \(length): both must be positive") }
        let tokens = batch * length
        let tokenTypes = tokenTypes ?? Array(repeating: 0, count: tokens)
        let attentionMask = attentionMask ?? Array(repeating: 1, count: tokens)
        for (field, count) in [("ids", ids.count), ("tokenTypes", tokenTypes.count), ("attentionMask", attentionMask.count)] where count != tokens {
            throw HwnasError("token batch: \(field) has \(count) values for \(batch) x \(length)")
        }
        guard labels.isEmpty || labels.count == batch else {
            throw HwnasError("token batch: \(labels.count) labels for \(batch) sequences")
        }
        self.batch = batch
        self.length = length
        self.ids = ids
        self.tokenTypes = tokenTypes
        self.attentionMask = attentionMask
        self.labels = labels
    }
}
