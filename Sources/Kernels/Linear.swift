import Support

/// A fully connected layer, y = activation(x·W + b) (+ residual), over [rows, in] -> [rows, out].
///
/// Two backends. `.packed` (the default) packs W once here and runs the module's own GEMM
/// kernel, with bias, activation and residual applied to the accumulators before the one store:
/// fastest on one core, and it ignores the BLAS thread count. `.blas` keeps W row-major
/// [in, out] and calls `cblas_sgemm` with the epilogue on cache-sized blocks: it uses as many
/// threads as the caller gave OpenBLAS. Holds no per-call buffers: the caller owns the output.
public struct Linear: Sendable {
    public enum Backend: String, Sendable, CaseIterable {
        case packed
        case blas
    }

    public let inFeatures: Int
    public let outFeatures: Int
    public let activation: Activation
    public let backend: Backend
    /// [outFeatures].
    public let bias: Tensor
    let packedWeight: PackedWeights?
    let plainWeight: Tensor?

    /// W as row-major [inFeatures, outFeatures]; a copy when the backend is `.packed`.
    public var weight: Tensor { plainWeight ?? packedWeight!.unpacked() }

    /// Weights and bias uniform in ±1/√inFeatures (PyTorch's default), from `seed`.
    public init(
        inFeatures: Int, outFeatures: Int, activation: Activation = .identity, backend: Backend = .packed,
        seed: UInt64
    ) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear: \(inFeatures) -> \(outFeatures) features")
        var generator = SeededGenerator(seed: seed)
        let scale = 1 / Float(inFeatures).squareRoot()
        let weight = Tensor(shape: [inFeatures, outFeatures], generator: &generator, scale: scale)
        let bias = Tensor(shape: [outFeatures], generator: &generator, scale: scale)
        self.init(weight: weight, bias: bias, activation: activation, backend: backend)
    }

    /// Explicit weights, `weight` row-major [inFeatures, outFeatures] (i.e. PyTorch's
    /// `linear.weight` transposed) and `bias` [outFeatures].
    public init(
        inFeatures: Int, outFeatures: Int, weight: [Float], bias: [Float],
        activation: Activation = .identity, backend: Backend = .packed
    ) throws(HwnasError) {
        guard inFeatures > 0, outFeatures > 0 else {
            throw HwnasError("Linear: \(inFeatures) -> \(outFeatures) features")
        }
        self.init(
            weight: try Tensor(shape: [inFeatures, outFeatures], values: weight),
            bias: try Tensor(shape: [outFeatures], values: bias), activation: activation, backend: backend)
    }

    init(weight: Tensor, bias: Tensor, activation: Activation, backend: Backend) {
        inFeatures = weight.shape[0]
        outFeatures = weight.shape[1]
        self.activation = activation
        self.backend = backend
        self.bias = bias
        switch backend {
        case .packed:
            packedWeight = PackedWeights(weight.pointer, rows: inFeatures, columns: outFeatures)
            plainWeight = nil
        case .blas:
            packedWeight = nil
            plainWeight = weight
        }
    }

    /// y = activation(x·W + b) (+ residual). `x` is [..., inFeatures]; `y` and `residual` are
    /// [..., outFeatures] with the same number of rows; `residual` must not be `y`.
    public func callAsFunction(_ x: Tensor, _ y: Tensor, residual: Tensor? = nil) {
        precondition(x.shape.last == inFeatures, "Linear(\(inFeatures)->\(outFeatures)): input shape \(x.shape)")
        let rows = x.count / inFeatures
        precondition(y.shape.last == outFeatures && y.count == rows * outFeatures,
                     "Linear(\(inFeatures)->\(outFeatures)): output shape \(y.shape) for \(rows) rows")
        precondition(x !== y, "Linear: the output cannot be the input")
        if let residual {
            precondition(residual.count == y.count, "Linear: residual shape \(residual.shape), output \(y.shape)")
            precondition(residual !== y, "Linear: the residual cannot be the output")
        }
        run(rows: rows, x.pointer, y.pointer, residual: residual?.pointer)
    }

    /// The raw form for ops built on this one (1x1 convolutions, attention projections).
    func run(
        rows: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        residual: UnsafePointer<Float>? = nil
    ) {
        if let packedWeight {
            Gemm.packed(
                m: rows, a: x, lda: inFeatures, weights: packedWeight, c: y, ldc: outFeatures,
                bias: bias.pointer, activation: activation, residual: residual, ldr: outFeatures)
        } else {
            Gemm.multiply(
                m: rows, n: outFeatures, k: inFeatures, a: x, lda: inFeatures,
                b: plainWeight!.pointer, ldb: outFeatures, c: y, ldc: outFeatures,
                bias: bias.pointer, activation: activation, residual: residual, ldr: outFeatures)
        }
    }
}
