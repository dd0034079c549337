/// Token sequences padded to the longest of them, as a BERT reads a batch: row-major
/// `count x length` input ids (padding id after each sequence), attention mask (1 on tokens,
/// 0 on padding) and token type ids (all 0: one sentence per example).
public struct Batch: Equatable, Sendable {
    /// Sequences in the batch.
    public let count: Int
    /// Tokens per row: the longest sequence's length.
    public let length: Int
    public var inputIDs: [Int]
    public var attentionMask: [Int]
    public var tokenTypeIDs: [Int]
    /// Each sequence's own length, before padding.
    public var lengths: [Int]
    /// The examples' classes, in row order (empty when the batch was made without them).
    public var labels: [Int]

    /// Pads `sequences` to the longest with `paddingID`; `labels`, when given, has one class
    /// per sequence.
    public init(sequences: [[Int]], labels: [Int] = [], paddingID: Int = 0) {
        precondition(labels.isEmpty || labels.count == sequences.count, "\(labels.count) labels for \(sequences.count) sequences")
        count = sequences.count
        length = sequences.map(\.count).max() ?? 0
        lengths = sequences.map(\.count)
        self.labels = labels
        inputIDs = []
        inputIDs.reserveCapacity(count * length)
        attentionMask = []
        attentionMask.reserveCapacity(count * length)
        for sequence in sequences {
            let padding = length - sequence.count
            inputIDs.append(contentsOf: sequence)
            inputIDs.append(contentsOf: repeatElement(paddingID, count: padding))
            attentionMask.append(contentsOf: repeatElement(1, count: sequence.count))
            attentionMask.append(contentsOf: repeatElement(0, count: padding))
        }
        tokenTypeIDs = Array(repeating: 0, count: count * length)
    }

    /// The ids of row `row`, padding included.
    public func row(_ row: Int) -> ArraySlice<Int> {
        inputIDs[row * length..<(row + 1) * length]
    }
}
