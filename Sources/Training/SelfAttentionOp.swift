import Kernels

/// Multi-head self-attention of a BERT layer with its backward pass: Q, K, V projections, per
/// sequence and head softmax(Q·Kᵀ/√d + mask)·V with dropout on the probabilities, and the
/// output projection. Elastic: only the first `heads` heads run (the first heads·d rows of the
/// Q, K, V weights and biases, the first heads·d columns of the output weight).
///
/// Per sequence and head: one sgemm forms the scores into that head's slot of the stored
/// probabilities (the 1/√d scale rides in alpha), a vector softmax normalises them in place,
/// one sgemm multiplies by V into the head's columns of the context. The backward runs four
/// sgemm per sequence and head (dP = dC·Vᵀ, dV = Pᵀ·dC, dQ = dS·K, dK = dSᵀ·Q). Keys past the
/// last unmasked key of a sequence (`KeyMask.keyEnd`) are left out of every product: their
/// probabilities are exactly 0, so the result is what the full products give.
///
/// Buffers for `maxBatch` x `maxLength` are allocated here; a step allocates nothing. The
/// forward keeps a pointer to its input; the backward overwrites the context (with its
/// gradient), so one backward follows each forward.
public final class SelfAttentionOp {
    public let query: LinearOp
    public let key: LinearOp
    public let value: LinearOp
    public let output: LinearOp
    public let hidden: Int
    public let maxHeads: Int
    public let headDimension: Int
    public let maxBatch: Int
    public let maxLength: Int
    public let dropout: Float
    /// Heads that run (the first ones), 1 ... maxHeads.
    public var heads: Int {
        didSet {
            precondition(heads > 0 && heads <= maxHeads, "attention: \(heads) heads of \(maxHeads)")
            applyHeads()
        }
    }
    public var inner: Int { heads * headDimension }

    let q: Tensor, k: Tensor, v: Tensor
    /// The context, then (after the backward's first product) its gradient.
    let context: Tensor
    /// [maxBatch, maxHeads, maxLength, maxLength]: the softmax of each sequence and head
    /// (before dropout), rows at stride `length`.
    let probabilityBuffer: Tensor
    let dq: Tensor, dk: Tensor, dv: Tensor
    /// One head's dropped probabilities, then one head's probability gradient.
    let dropped: Tensor, dp: Tensor
    private let threshold: UInt32
    private let scale: Float

    private var batch = 0, length = 0, firstSequence = 0
    /// Query rows per sequence in the last forward: `length`, or 1 when only the first token queried.
    private var queryRows = 0
    private var savedMask: KeyMask?
    private var savedKey: UInt64?

    /// `query`, `key`, `value` weights [hidden, hidden]; `output` weight [hidden, hidden]; every
    /// bias [hidden]; `heads` heads of hidden/heads.
    public init(
        query: LinearOp, key: LinearOp, value: LinearOp, output: LinearOp,
        heads: Int, dropout: Float, maxBatch: Int, maxLength: Int
    ) {
        hidden = query.weight.columns
        precondition(heads > 0 && hidden % heads == 0, "attention: \(heads) heads do not divide \(hidden)")
        for projection in [query, key, value] {
            precondition(projection.weight.shape == [hidden, hidden], "\(projection.weight.name): \(projection.weight.shape), need [\(hidden), \(hidden)]")
        }
        precondition(output.weight.shape == [hidden, hidden], "\(output.weight.name): \(output.weight.shape), need [\(hidden), \(hidden)]")
        precondition(dropout >= 0 && dropout < 1, "attention dropout \(dropout)")
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        maxHeads = heads
        headDimension = hidden / heads
        self.heads = heads
        self.maxBatch = maxBatch
        self.maxLength = maxLength
        self.dropout = dropout
        threshold = DropoutMask.threshold(probability: dropout)
        scale = 1 / (1 - dropout)
        let tokens = maxBatch * maxLength
        q = Tensor(shape: [tokens, hidden])
        k = Tensor(shape: [tokens, hidden])
        v = Tensor(shape: [tokens, hidden])
        context = Tensor(shape: [tokens, hidden])
        probabilityBuffer = Tensor(shape: [maxBatch, heads, maxLength, maxLength])
        dq = Tensor(shape: [tokens, hidden])
        dk = Tensor(shape: [tokens, hidden])
        dv = Tensor(shape: [tokens, hidden])
        dropped = Tensor(shape: [maxLength, maxLength])
        dp = Tensor(shape: [maxLength, maxLength])
        applyHeads()
    }

    private func applyHeads() {
        query.outputs = inner
        key.outputs = inner
        value.outputs = inner
        output.inputs = inner
    }

    /// The probabilities of sequence `b`, head `h` from the last forward: `queryRows` rows of
    /// `length` at stride `length`, keys from `mask.keyEnd(b)` on not written (they are 0).
    func probabilityBlock(_ b: Int, _ h: Int) -> UnsafeMutablePointer<Float> {
        probabilityBuffer.pointer + ((b * heads + h) * queryRows) * length
    }

    /// The attention probabilities of sequence `b`, head `h` in the last forward (before
    /// dropout): [queries, length] row-major, query by key (`length` queries, or the first
    /// alone after a first-token forward); skipped keys as the 0 they are. For inspection (it
    /// allocates).
    public func probabilities(sequence b: Int, head h: Int) -> [Float] {
        precondition(b < batch && h < heads, "attention: sequence \(b) of \(batch), head \(h) of \(heads)")
        guard let mask = savedMask else { return [] }
        let p = probabilityBlock(b, h)
        let keyEnd = mask.keyEnd(b)
        var result = [Float](repeating: 0, count: queryRows * length)
        for i in 0..<queryRows {
            for j in 0..<keyEnd { result[i * length + j] = p[i * length + j] }
        }
        return result
    }

    /// The dropout index of probability (b, h, i, j): ((b·maxHeads + h)·length + i)·length + j,
    /// so head h draws the same mask whatever the number of active heads.
    static func dropoutIndex(batch b: Int, head h: Int, maxHeads: Int, length: Int) -> Int {
        (b * maxHeads + h) * length * length
    }

    /// y = attention(x [batch·length, hidden]) with `mask` (which must describe `batch` x
    /// `length`); `key` nil runs without dropout. `firstSequence` is where the batch starts in
    /// a larger one (it places the dropout masks). With `firstTokenOnly`, only each sequence's
    /// first token queries (all tokens still serve as keys and values) and y is [batch,
    /// hidden]: the outputs a classifier reads from the last layer, at a fraction of the work.
    public func forward(
        _ x: UnsafePointer<Float>, batch: Int, length: Int, mask: KeyMask,
        into y: UnsafeMutablePointer<Float>, key dropoutKey: UInt64?, firstSequence: Int = 0, firstTokenOnly: Bool = false
    ) {
        precondition(batch <= maxBatch && length <= maxLength, "attention: \(batch) x \(length), sized for \(maxBatch) x \(maxLength)")
        precondition(mask.batch == batch && mask.length == length, "attention: mask of \(mask.batch) x \(mask.length) for \(batch) x \(length)")
        self.batch = batch
        self.length = length
        self.firstSequence = firstSequence
        queryRows = firstTokenOnly ? 1 : length
        savedMask = mask
        savedKey = dropout > 0 ? dropoutKey : nil
        let rows = batch * length
        let inner = self.inner, d = headDimension, s = length, m = queryRows
        let queries = batch * m
        query.forward(x, stride: firstTokenOnly ? s * hidden : hidden, rows: queries, into: q.pointer, stride: inner)
        key.forward(x, stride: hidden, rows: rows, into: k.pointer, stride: inner)
        value.forward(x, stride: hidden, rows: rows, into: v.pointer, stride: inner)
        let alpha = 1 / Float(d).squareRoot()
        for b in 0..<batch {
            let keyEnd = mask.keyEnd(b)
            let bias = mask.interiorBias(b)
            for h in 0..<heads {
                let p = probabilityBlock(b, h)
                let queryColumn = b * m * inner + h * d, keyColumn = b * s * inner + h * d
                Blas.gemm(
                    transposeB: true, m: m, n: keyEnd, k: d, alpha: alpha,
                    a: q.pointer + queryColumn, lda: inner, b: k.pointer + keyColumn, ldb: inner,
                    beta: 0, c: p, ldc: s)
                Elementwise.softmaxRows(p, rows: m, columns: keyEnd, ld: s, bias: bias)
                var weights = UnsafePointer(p)
                if let dropoutKey = savedKey {
                    Elementwise.dropoutRows(
                        p, ldx: s, into: dropped.pointer, ldy: s, rows: m, columns: keyEnd,
                        first: Self.dropoutIndex(batch: firstSequence + b, head: h, maxHeads: maxHeads, length: s), indexStride: s,
                        key: dropoutKey, threshold: threshold, scale: scale)
                    weights = UnsafePointer(dropped.pointer)
                }
                Blas.gemm(
                    m: m, n: d, k: keyEnd, a: weights, lda: s, b: v.pointer + keyColumn, ldb: inner,
                    beta: 0, c: context.pointer + queryColumn, ldc: inner)
            }
        }
        output.forward(context.pointer, stride: inner, rows: queries, into: y, stride: hidden)
    }

    /// Adds the input gradient for dy (as the forward's y: [batch·length, hidden], or [batch,
    /// hidden] after a first-token forward) to `dx` [batch·length, hidden] (which holds the
    /// residual branch's gradient, or zeros) and the parameters' gradients to theirs.
    public func backward(_ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        guard let mask = savedMask else { preconditionFailure("attention: backward before forward") }
        let inner = self.inner, d = headDimension, s = length, m = queryRows
        let alpha = 1 / Float(d).squareRoot()
        // The context is read by the output projection's weight gradient before its own
        // gradient overwrites it.
        let dc = context.pointer
        output.backward(dy, stride: hidden, into: dc, stride: inner)
        for b in 0..<batch {
            let keyEnd = mask.keyEnd(b)
            for h in 0..<heads {
                let p = probabilityBlock(b, h)
                let queryColumn = b * m * inner + h * d, keyColumn = b * s * inner + h * d
                // dP' = dC·Vᵀ.
                Blas.gemm(
                    transposeB: true, m: m, n: keyEnd, k: d,
                    a: dc + queryColumn, lda: inner, b: v.pointer + keyColumn, ldb: inner,
                    beta: 0, c: dp.pointer, ldc: s)
                // dV = P'ᵀ·dC, with P' the dropped probabilities the forward used.
                var weights = UnsafePointer(p)
                let first = Self.dropoutIndex(batch: firstSequence + b, head: h, maxHeads: maxHeads, length: s)
                if let dropoutKey = savedKey {
                    Elementwise.dropoutRows(
                        p, ldx: s, into: dropped.pointer, ldy: s, rows: m, columns: keyEnd,
                        first: first, indexStride: s, key: dropoutKey, threshold: threshold, scale: scale)
                    weights = UnsafePointer(dropped.pointer)
                    // dP = dP' ⊙ mask / (1 - p).
                    Elementwise.dropoutRows(
                        dp.pointer, ldx: s, into: dp.pointer, ldy: s, rows: m, columns: keyEnd,
                        first: first, indexStride: s, key: dropoutKey, threshold: threshold, scale: scale)
                }
                Blas.gemm(
                    transposeA: true, m: keyEnd, n: d, k: m,
                    a: weights, lda: s, b: dc + queryColumn, ldb: inner,
                    beta: 0, c: dv.pointer + keyColumn, ldc: inner)
                Elementwise.softmaxBackwardRows(probabilities: p, dp.pointer, rows: m, columns: keyEnd, ld: s)
                // dQ = α·dS·K, dK = α·dSᵀ·Q.
                Blas.gemm(
                    m: m, n: d, k: keyEnd, alpha: alpha,
                    a: dp.pointer, lda: s, b: k.pointer + keyColumn, ldb: inner,
                    beta: 0, c: dq.pointer + queryColumn, ldc: inner)
                Blas.gemm(
                    transposeA: true, m: keyEnd, n: d, k: m, alpha: alpha,
                    a: dp.pointer, lda: s, b: q.pointer + queryColumn, ldb: inner,
                    beta: 0, c: dk.pointer + keyColumn, ldc: inner)
                // Keys that got no attention have no gradient.
                for j in keyEnd..<s {
                    (dk.pointer + keyColumn + j * inner).update(repeating: 0, count: d)
                    (dv.pointer + keyColumn + j * inner).update(repeating: 0, count: d)
                }
            }
        }
        query.backward(dq.pointer, stride: inner, into: dx, stride: m == s ? hidden : s * hidden, accumulate: true)
        key.backward(dk.pointer, stride: inner, into: dx, stride: hidden, accumulate: true)
        value.backward(dv.pointer, stride: inner, into: dx, stride: hidden, accumulate: true)
    }
}
