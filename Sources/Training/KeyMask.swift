import Kernels
import Support

/// The attention mask of a batch as the attention uses it: per sequence, an additive bias on
/// each key (0 for a token, the most negative Float for padding, as Hugging Face's extended
/// attention mask `(1 - mask) · finfo(float32).min`) and the end of the keys that matter.
///
/// Keys from `keyEnd` on are all masked; their probabilities are exactly 0 after the softmax
/// (their exponential underflows), so the attention skips them in its products rather than
/// computing zeros. Only a sequence with a masked key before its last token pays for the bias.
/// A sequence with every key masked attends uniformly to all of them, as PyTorch does.
public final class KeyMask: @unchecked Sendable {
    public let maxBatch: Int
    public let maxLength: Int
    public private(set) var batch = 0
    public private(set) var length = 0
    /// [maxBatch, maxLength]: 0 or `maskedBias` per key.
    let bias: Tensor
    /// Per sequence, one past its last unmasked key (`length` when every key is masked).
    private(set) var keyEnds: [Int]
    /// Per sequence, whether a key before `keyEnd` is masked.
    private(set) var interiorMasked: [Bool]

    /// The additive bias of a masked key: torch.finfo(torch.float32).min.
    public static let maskedBias: Float = -Float.greatestFiniteMagnitude

    public init(maxBatch: Int, maxLength: Int) {
        precondition(maxBatch > 0 && maxLength > 0, "KeyMask: batch \(maxBatch), length \(maxLength)")
        self.maxBatch = maxBatch
        self.maxLength = maxLength
        bias = Tensor(shape: [maxBatch, maxLength])
        keyEnds = Array(repeating: 0, count: maxBatch)
        interiorMasked = Array(repeating: false, count: maxBatch)
    }

    /// Reads a Hugging Face attention mask, [batch, length] of 1 (attend) and 0 (padding).
    public func update(_ mask: [Int32], batch: Int, length: Int) throws(HwnasError) {
        try update(mask[...], batch: batch, length: length)
    }

    /// Reads `batch` sequences of a Hugging Face attention mask from a slice of a larger one
    /// (a shard's sequences).
    public func update(_ mask: ArraySlice<Int32>, batch: Int, length: Int) throws(HwnasError) {
        guard batch > 0, batch <= maxBatch, length > 0, length <= maxLength else {
            throw HwnasError("attention mask of \(batch) x \(length) exceeds the \(maxBatch) x \(maxLength) the model was sized for")
        }
        guard mask.count == batch * length else {
            throw HwnasError("attention mask has \(mask.count) values for \(batch) x \(length)")
        }
        let start = mask.startIndex
        if let bad = mask.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw HwnasError("attention mask: value \(mask[bad]) at sequence \(bad / length), position \(bad % length); expected 0 or 1")
        }
        self.batch = batch
        self.length = length
        for b in 0..<batch {
            let row = start + b * length
            let biasRow = bias.pointer + b * length
            var end = 0
            var anyMasked = false
            for j in 0..<length {
                if mask[row + j] == 1 {
                    biasRow[j] = 0
                    end = j + 1
                } else {
                    biasRow[j] = Self.maskedBias
                    anyMasked = true
                }
            }
            if end == 0 {
                keyEnds[b] = length
                interiorMasked[b] = true
            } else {
                keyEnds[b] = end
                interiorMasked[b] = anyMasked && (0..<end).contains { mask[row + $0] == 0 }
            }
        }
    }

    /// Every key of `batch` sequences of `length` unmasked.
    public func clear(batch: Int, length: Int) {
        precondition(batch > 0 && batch <= maxBatch && length > 0 && length <= maxLength,
                     "KeyMask: \(batch) x \(length) exceeds \(maxBatch) x \(maxLength)")
        self.batch = batch
        self.length = length
        bias.pointer.update(repeating: 0, count: batch * length)
        for b in 0..<batch {
            keyEnds[b] = length
            interiorMasked[b] = false
        }
    }

    /// One past the last key of sequence `b` that may get attention.
    public func keyEnd(_ b: Int) -> Int { keyEnds[b] }

    /// The additive bias of sequence `b`'s keys when one before `keyEnd(b)` is masked, else nil.
    func interiorBias(_ b: Int) -> UnsafePointer<Float>? {
        interiorMasked[b] ? UnsafePointer(bias.pointer + b * length) : nil
    }
}
