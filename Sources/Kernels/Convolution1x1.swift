import Support

/// Pointwise (1x1) convolution over NHWC with bias (folded batch norm) and fused activation.
///
/// In NHWC a 1x1 convolution is exactly a GEMM [N·H·W, Cin] x [Cin, Cout]: the pixels are the
/// rows and no data moves, so this is a `Linear` over the channel dimension. The same type serves
/// the "feature mix" layer on a 1x1 map ([N, 1, 1, C] or [N, C]) and the project convolution
/// with its residual added in the epilogue (the residual must not be the output).
public struct Convolution1x1: Sendable {
    /// The GEMM, weights [Cin, Cout].
    public let linear: Linear
    public var inChannels: Int { linear.inFeatures }
    public var outChannels: Int { linear.outFeatures }
    public var activation: Activation { linear.activation }

    /// Weights and bias uniform in ±1/√Cin, from `seed`.
    public init(
        inChannels: Int, outChannels: Int, activation: Activation = .identity,
        backend: Linear.Backend = .packed, seed: UInt64
    ) {
        linear = Linear(
            inFeatures: inChannels, outFeatures: outChannels, activation: activation, backend: backend, seed: seed)
    }

    /// Explicit weights [Cin, Cout] (PyTorch's [Cout, Cin, 1, 1] transposed) and bias [Cout].
    public init(
        inChannels: Int, outChannels: Int, weight: [Float], bias: [Float], activation: Activation = .identity,
        backend: Linear.Backend = .packed
    ) throws(HwnasError) {
        linear = try Linear(
            inFeatures: inChannels, outFeatures: outChannels, weight: weight, bias: bias, activation: activation,
            backend: backend)
    }

    /// y = activation(x·W + b) (+ residual); `x` is [N, H, W, Cin], `y` [N, H, W, Cout].
    public func callAsFunction(_ x: Tensor, _ y: Tensor, residual: Tensor? = nil) {
        precondition(x.shape.last == inChannels, "Convolution1x1(\(inChannels)->\(outChannels)): input \(x.shape)")
        precondition(y.shape.last == outChannels && y.count / outChannels == x.count / inChannels,
                     "Convolution1x1(\(inChannels)->\(outChannels)): output \(y.shape) for input \(x.shape)")
        precondition(x.shape.count == y.shape.count && x.shape.dropLast() == y.shape.dropLast(),
                     "Convolution1x1: input \(x.shape) and output \(y.shape) differ in N, H, W")
        linear(x, y, residual: residual)
    }
}
