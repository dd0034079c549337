/// Dropout with its backward pass: each element kept with probability 1 - p and scaled by
/// 1/(1 - p), or zeroed (PyTorch's inverted dropout).
///
/// Which elements are kept is `DropoutMask`'s hash of (key, index): the same key gives the same
/// mask, and the backward recomputes it instead of storing it. A nil key is evaluation: the op
/// is the identity (plus the residual, when given). The index of an element is where it sits
/// in the whole batch's layout (`first` and `indexStride`), so that a shard of the batch, or
/// the first-token rows alone, draw the masks the whole batch would.
public final class DropoutOp {
    public let probability: Float
    let threshold: UInt32
    let scale: Float
    private var savedKey: UInt64?
    private var savedRows = 0, savedColumns = 0, savedFirst = 0, savedIndexStride = 0

    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) must be in [0, 1)")
        self.probability = probability
        threshold = DropoutMask.threshold(probability: probability)
        scale = 1 / (1 - probability)
    }

    /// y = dropout(x) (+ residual) on `count` contiguous values, element i hashed at index
    /// `first + i`; `y` may be `x` or `residual`.
    public func forward(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
        residual: UnsafePointer<Float>? = nil, key: UInt64?, first: Int = 0
    ) {
        forward(
            x, ldx: count, into: y, ldy: count, rows: 1, columns: count, residual: residual, ldr: count,
            key: key, first: first, indexStride: count)
    }

    /// y = dropout(x) (+ residual) on `rows` x `columns` values at their own row strides,
    /// element (r, j) hashed at index `first + r·indexStride + j`; `y` may be `x` or `residual`
    /// when the strides agree. The backward takes its gradients contiguous ([rows, columns]).
    public func forward(
        _ x: UnsafePointer<Float>, ldx: Int, into y: UnsafeMutablePointer<Float>, ldy: Int, rows: Int, columns: Int,
        residual: UnsafePointer<Float>?, ldr: Int, key: UInt64?, first: Int, indexStride: Int
    ) {
        savedRows = rows
        savedColumns = columns
        savedFirst = first
        savedIndexStride = indexStride
        savedKey = probability > 0 ? key : nil
        if let key = savedKey {
            Elementwise.dropoutRows(
                x, ldx: ldx, into: y, ldy: ldy, rows: rows, columns: columns, residual: residual, ldr: ldr,
                first: first, indexStride: indexStride, key: key, threshold: threshold, scale: scale)
        } else {
            for r in 0..<rows {
                let source = x + r * ldx, target = y + r * ldy
                if let residual {
                    Elementwise.sum(source, residual + r * ldr, into: target, count: columns)
                } else if UnsafePointer(target) != source {
                    target.update(from: source, count: columns)
                }
            }
        }
    }

    /// dx = dy ⊙ mask / (1 - p) with the mask of the last forward (dx = dy in evaluation), both
    /// contiguous [rows, columns]; `dx` may be `dy`. The residual's gradient is dy itself,
    /// which the caller keeps.
    public func backward(_ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let n = savedColumns
        if let key = savedKey {
            Elementwise.dropoutRows(
                dy, ldx: n, into: dx, ldy: n, rows: savedRows, columns: n, residual: nil, ldr: 0,
                first: savedFirst, indexStride: savedIndexStride, key: key, threshold: threshold, scale: scale)
        } else if UnsafePointer(dx) != dy {
            dx.update(from: dy, count: savedRows * n)
        }
    }
}
