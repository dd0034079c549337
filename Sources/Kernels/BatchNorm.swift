import Support

/// Inference batch normalisation parameters, y = (x - mean)/√(variance + eps)·gamma + beta per
/// channel, kept only to be folded into the preceding convolution.
///
/// At inference BN is an affine map per output channel, so it folds into the convolution's
/// weights (scaled by gamma/√(var + eps)) and bias; the kernels then never run a BN pass.
public struct BatchNorm: Sendable, Equatable {
    public var gamma: [Float]
    public var beta: [Float]
    public var mean: [Float]
    public var variance: [Float]
    /// 1e-5 in PyTorch's default and Once-for-All.
    public var epsilon: Float

    public var channels: Int { gamma.count }

    public init(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float = 1e-5) throws(HwnasError) {
        guard beta.count == gamma.count, mean.count == gamma.count, variance.count == gamma.count else {
            throw HwnasError("BatchNorm: gamma \(gamma.count), beta \(beta.count), mean \(mean.count), variance \(variance.count) values; they must match")
        }
        guard variance.allSatisfy({ $0 >= 0 }) else { throw HwnasError("BatchNorm: negative variance") }
        self.gamma = gamma
        self.beta = beta
        self.mean = mean
        self.variance = variance
        self.epsilon = epsilon
    }

    /// Plausible trained statistics from `seed`: gamma in [0.5, 1.5), beta and mean in
    /// [-0.5, 0.5), variance in [0.5, 1.5).
    public init(channels: Int, epsilon: Float = 1e-5, seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        gamma = (0..<channels).map { _ in 1 + 0.5 * g.nextSymmetricFloat() }
        beta = (0..<channels).map { _ in 0.5 * g.nextSymmetricFloat() }
        mean = (0..<channels).map { _ in 0.5 * g.nextSymmetricFloat() }
        variance = (0..<channels).map { _ in 1 + 0.5 * g.nextSymmetricFloat() }
        self.epsilon = epsilon
    }

    /// The per-channel scale gamma/√(var + eps) and shift beta - mean·scale.
    public var scaleAndShift: (scale: [Float], shift: [Float]) {
        var scale = [Float](repeating: 0, count: channels)
        var shift = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            let s = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
            scale[c] = Float(s)
            shift[c] = Float(Double(beta[c]) - Double(mean[c]) * s)
        }
        return (scale, shift)
    }

    /// Folds this BN into a convolution whose weights have the output channel innermost (every
    /// layout in this module: [Cin, Cout], [k, k, C], [k, k, Cin, Cout]); `bias` nil means none.
    public func fold(weight: [Float], bias: [Float]?) throws(HwnasError) -> (weight: [Float], bias: [Float]) {
        guard channels > 0, weight.count % channels == 0 else {
            throw HwnasError("BatchNorm(\(channels)): cannot fold into \(weight.count) weights (not a multiple of the channels)")
        }
        if let bias, bias.count != channels {
            throw HwnasError("BatchNorm(\(channels)): bias has \(bias.count) values")
        }
        let (scale, shift) = scaleAndShift
        var folded = weight
        for i in folded.indices { folded[i] *= scale[i % channels] }
        let foldedBias = (0..<channels).map { c in Float(Double(bias?[c] ?? 0) * Double(scale[c]) + Double(shift[c])) }
        return (folded, foldedBias)
    }

    /// Applies the normalisation in place to `x` ([..., channels]); a reference for tests of the
    /// folding, not an inference path.
    public func callAsFunction(_ x: Tensor) {
        precondition(x.shape.last == channels, "BatchNorm(\(channels)): input \(x.shape)")
        let (scale, shift) = scaleAndShift
        for i in 0..<x.count { x.pointer[i] = x.pointer[i] * scale[i % channels] + shift[i % channels] }
    }
}
