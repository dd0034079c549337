/// A MobileNetV3 inverted-residual block: 1x1 expand (absent when the expand ratio is 1),
/// k x k depthwise, optional squeeze-excite, 1x1 project, residual when shapes allow.
/// Batch norm after each convolution is folded into it at run time, as deployment runtimes do.
public struct MBConvBlock: BlockConfiguration {
    public var resolution: Int
    public var inChannels: Int
    public var outChannels: Int
    /// Channels after the expansion (equal to `inChannels` without expansion).
    public var mid: Int
    public var kernel: Int
    public var stride: Int
    public var squeezeExcite: Bool
    public var activation: ActivationKind
    /// False for the fixed first block (expand ratio 1: no 1x1 expansion).
    public var expands: Bool

    public init(resolution: Int, inChannels: Int, outChannels: Int, mid: Int, kernel: Int, stride: Int,
                squeezeExcite: Bool, activation: ActivationKind, expands: Bool = true) {
        self.resolution = resolution
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.mid = mid
        self.kernel = kernel
        self.stride = stride
        self.squeezeExcite = squeezeExcite
        self.activation = activation
        self.expands = expands
    }

    public var outResolution: Int { (resolution + stride - 1) / stride }
    public var residual: Bool { stride == 1 && inChannels == outChannels }
    /// Squeeze-excite's hidden width: mid / 4 rounded to a multiple of 8 (Once-for-All's rule).
    public var seChannels: Int { MBConvBlock.makeDivisible(Double(mid / 4), 8) }

    public var key: String {
        (expands ? "mbconv" : "first-block")
            + "-in:\(input)-out:\(output)-mid:\(mid)-kernel:\(kernel)-stride:\(stride)"
            + "-se:\(squeezeExcite ? 1 : 0)-act:\(activation.keyName)-skip:\(residual ? 1 : 0)"
    }
    public var input: TensorShape { .image(height: resolution, width: resolution, channels: inChannels) }
    public var output: TensorShape { .image(height: outResolution, width: outResolution, channels: outChannels) }

    public var macs: Int {
        let inPixels = resolution * resolution
        let outPixels = outResolution * outResolution
        var total = 0
        if expands { total += inChannels * mid * inPixels }
        total += kernel * kernel * mid * outPixels
        if squeezeExcite { total += 2 * mid * seChannels }
        total += mid * outChannels * outPixels
        return total
    }

    public var params: Int {
        var total = 0
        if expands { total += inChannels * mid + 2 * mid }
        total += kernel * kernel * mid + 2 * mid
        if squeezeExcite { total += mid * seChannels + seChannels + seChannels * mid + mid }
        total += mid * outChannels + 2 * outChannels
        return total
    }

    /// Once-for-All's `make_divisible`: round to the nearest multiple of `divisor`, never below
    /// `divisor` and never more than 10% below `value`.
    public static func makeDivisible(_ value: Double, _ divisor: Int) -> Int {
        var rounded = max(divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
        if Double(rounded) < 0.9 * value { rounded += divisor }
        return rounded
    }
}
