import CBlas
import Support

/// Multi-head self-attention of a transformer encoder layer, for one sequence length and batch.
///
/// One GEMM projects the input to Q, K and V of all active heads at once ([tokens, 3·inner],
/// columns Q heads | K heads | V heads); per sequence and head, sgemm forms the scaled scores
/// Q·Kᵀ (the 1/√d scale rides in sgemm's alpha), a row softmax normalises them in place, and
/// sgemm writes P·V into that head's columns of the context; the output projection maps
/// inner -> hidden with bias and the optional residual in its epilogue. The active head count
/// is elastic: `inner = heads · headDimension` may be smaller than `hidden`.
///
/// On the AVX-512 variant, heads whose size is a multiple of 32 take the fused core of
/// `attend512()` instead (AttentionAVX512.swift).
///
/// All scratch (projections, one head's scores, context) is allocated here, for `sequence` and
/// `batch`; a call allocates nothing. Being a class with scratch, an instance serves one call
/// at a time.
public final class MultiHeadAttention: @unchecked Sendable {
    public let hidden: Int
    public let heads: Int
    public let headDimension: Int
    public let sequence: Int
    public let batch: Int
    /// hidden -> 3·inner.
    public let projection: Linear
    /// inner -> hidden.
    public let output: Linear
    public var inner: Int { heads * headDimension }

    let qkv: Tensor
    let scores: Tensor
    let context: Tensor
    /// The sequence rounded up to the fused core's 32-column panels.
    let paddedSequence: Int
    /// The fused core's scratch: one head's keys as Kᵀ panels and values as [sequence, d], and
    /// one tile of rows' scores.
    let packedKeys: Tensor
    let packedValues: Tensor
    let tileScores: Tensor

    /// Pseudo-random weights from `seed` (uniform ±1/√fanIn); `backend` is the projections'.
    public convenience init(
        hidden: Int, heads: Int, headDimension: Int = 64, sequence: Int, batch: Int = 1,
        backend: Linear.Backend = .packed, seed: UInt64
    ) {
        let inner = heads * headDimension
        try! self.init(
            hidden: hidden, heads: heads, headDimension: headDimension, sequence: sequence, batch: batch,
            projection: Linear(inFeatures: hidden, outFeatures: 3 * inner, backend: backend, seed: seed),
            output: Linear(inFeatures: inner, outFeatures: hidden, backend: backend, seed: seed &+ 0x5EED))
    }

    /// Explicit projections: `projection` hidden -> 3·inner (columns Q | K | V, head-major
    /// within each), `output` inner -> hidden. Their activations must be `.identity`.
    public init(
        hidden: Int, heads: Int, headDimension: Int = 64, sequence: Int, batch: Int = 1,
        projection: Linear, output: Linear
    ) throws(HwnasError) {
        let inner = heads * headDimension
        guard heads > 0, headDimension > 0, sequence > 0, batch > 0 else {
            throw HwnasError("MultiHeadAttention: heads \(heads), head size \(headDimension), sequence \(sequence), batch \(batch) must be positive")
        }
        guard projection.inFeatures == hidden, projection.outFeatures == 3 * inner,
              output.inFeatures == inner, output.outFeatures == hidden else {
            throw HwnasError("MultiHeadAttention(hidden \(hidden), \(heads) heads of \(headDimension)): projections are \(projection.inFeatures)->\(projection.outFeatures) and \(output.inFeatures)->\(output.outFeatures), need \(hidden)->\(3 * inner) and \(inner)->\(hidden)")
        }
        guard projection.activation == .identity, output.activation == .identity else {
            throw HwnasError("MultiHeadAttention: projections must have no activation")
        }
        self.hidden = hidden
        self.heads = heads
        self.headDimension = headDimension
        self.sequence = sequence
        self.batch = batch
        self.projection = projection
        self.output = output
        qkv = Tensor(shape: [batch * sequence, 3 * inner])
        scores = Tensor(shape: [sequence, sequence])
        context = Tensor(shape: [batch * sequence, inner])
        paddedSequence = (sequence + 31) / 32 * 32
        let fused = KernelVariant.runnable.contains(.avx512) && headDimension % 32 == 0
        packedKeys = Tensor(shape: fused ? [paddedSequence * headDimension] : [0])
        packedValues = Tensor(shape: fused ? [sequence * headDimension] : [0])
        tileScores = Tensor(shape: fused ? [Self.fusedRows * paddedSequence] : [0])
    }

    /// y = Attention(x)·Wo + bo (+ residual); `x`, `y`, `residual` are [batch, sequence, hidden]
    /// (or [batch·sequence, hidden]).
    public func callAsFunction(_ x: Tensor, _ y: Tensor, residual: Tensor? = nil) {
        let tokens = batch * sequence
        precondition(x.shape.last == hidden && x.count == tokens * hidden,
                     "MultiHeadAttention: input \(x.shape), expected \(batch) x \(sequence) x \(hidden)")
        precondition(y.count == tokens * hidden, "MultiHeadAttention: output \(y.shape)")
        if let residual { precondition(residual.count == y.count, "MultiHeadAttention: residual \(residual.shape)") }
        projection.run(rows: tokens, x.pointer, qkv.pointer)
        attend()
        output.run(rows: tokens, context.pointer, y.pointer, residual: residual?.pointer)
    }

    /// The attention core alone, on whatever the projection last wrote: benchmarks time it
    /// apart from the projections.
    public func attendAlone() { attend() }

    /// softmax(Q·Kᵀ/√d)·V for every sequence and head, into `context`: the fused AVX-512 core
    /// where it serves this head size, else sgemm and a row softmax per head.
    func attend() {
        if Self.fusedCore(KernelDispatch.variant, headDimension: headDimension, blasThreads: Int(openblas_get_num_threads())) {
            attend512()
            return
        }
        let inner = self.inner
        let ld = 3 * inner
        let s = sequence
        let d = headDimension
        let alpha = 1 / Float(d).squareRoot()
        for b in 0..<batch {
            let base = qkv.pointer + b * s * ld
            for h in 0..<heads {
                let q = base + h * d
                let k = q + inner
                let v = q + 2 * inner
                Gemm.sgemm(s, s, d, q, ld, k, ld, scores.pointer, s, transposeB: true, alpha: alpha)
                Softmax.rows(scores.pointer, rows: s, columns: s, ld: s)
                Gemm.sgemm(s, d, s, scores.pointer, s, v, ld, context.pointer + b * s * inner + h * d, inner)
            }
        }
    }
}
