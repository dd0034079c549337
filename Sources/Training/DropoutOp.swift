/// Dropout with its backward pass: each element kept with probability 1 - p and scaled by
/// 1/(1 - p), or zeroed (PyTorch's inverted dropout).
///
/// Which elements are kept is `DropoutMask`'s hash of (key, index): the same key gives the same
/// mask, and the backward recomputes it instead of storing it. A nil key is evaluation: the op
/// is the identity (plus the residual, when given).
public final class DropoutOp {
    public let probability: Float
    let threshold: UInt32
    let scale: Float
    private var savedKey: UInt64?
    private var savedCount = 0

    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) must be in [0, 1)")
        self.probability = probability
        threshold = DropoutMask.threshold(probability: probability)
        scale = 1 / (1 - probability)
    }

    /// y = dropout(x) (+ residual) on `count` values, element i hashed at index i; `y` may be
    /// `x` or `residual`.
    public func forward(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
        residual: UnsafePointer<Float>? = nil, key: UInt64?
    ) {
        savedCount = count
        savedKey = probability > 0 ? key : nil
        if let key = savedKey {
            Elementwise.dropout(x, into: y, count: count, residual: residual, first: 0, key: key, threshold: threshold, scale: scale)
        } else if let residual {
            Elementwise.sum(x, residual, into: y, count: count)
        } else if UnsafePointer(y) != x {
            y.update(from: x, count: count)
        }
    }

    /// dx = dy ⊙ mask / (1 - p) with the mask of the last forward (dx = dy in evaluation);
    /// `dx` may be `dy`. The residual's gradient is dy itself, which the caller keeps.
    public func backward(_ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        if let key = savedKey {
            Elementwise.dropout(dy, into: dx, count: savedCount, residual: nil, first: 0, key: key, threshold: threshold, scale: scale)
        } else if UnsafePointer(dx) != dy {
            dx.update(from: dy, count: savedCount)
        }
    }
}
