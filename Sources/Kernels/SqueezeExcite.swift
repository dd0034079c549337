import Support

/// Squeeze-and-excite over NHWC, in place: x *= h-sigmoid(W2·relu(W1·avgpool(x) + b1) + b2),
/// one gate per image and channel (MobileNetV3).
///
/// The two 1x1 convolutions act on [N, C] pooled vectors, so they are tiny `Linear`s; the time
/// goes into the pool and the scale, two streaming passes over the block's activation (the scale
/// on sixteen lanes under AVX-512). Scratch
/// for `batch` images is allocated here; an instance serves one call at a time.
public final class SqueezeExcite: @unchecked Sendable {
    public let channels: Int
    public let midChannels: Int
    public let batch: Int
    /// C -> mid, ReLU.
    public let reduce: Linear
    /// mid -> C, h-sigmoid.
    public let expand: Linear

    let pooled: Tensor
    let hidden: Tensor
    let gate: Tensor

    /// Once-for-All's squeeze width: C/4 rounded to a multiple of 8 (make_divisible).
    public static func defaultMidChannels(channels: Int) -> Int {
        let v = Double(channels / 4)
        var rounded = max(8, Int(v + 4) / 8 * 8)
        if Double(rounded) < 0.9 * v { rounded += 8 }
        return rounded
    }

    /// Pseudo-random weights from `seed` (uniform ±1/√fanIn).
    public convenience init(channels: Int, midChannels: Int? = nil, batch: Int = 1, seed: UInt64) {
        let mid = midChannels ?? Self.defaultMidChannels(channels: channels)
        try! self.init(
            batch: batch,
            reduce: Linear(inFeatures: channels, outFeatures: mid, activation: .relu, seed: seed),
            expand: Linear(inFeatures: mid, outFeatures: channels, activation: .hardSigmoid, seed: seed &+ 0x5EED))
    }

    /// Explicit layers: `reduce` C -> mid and `expand` mid -> C, with their activations
    /// (normally `.relu` and `.hardSigmoid`).
    public init(batch: Int = 1, reduce: Linear, expand: Linear) throws(HwnasError) {
        guard reduce.outFeatures == expand.inFeatures, expand.outFeatures == reduce.inFeatures, batch > 0 else {
            throw HwnasError("SqueezeExcite: layers \(reduce.inFeatures)->\(reduce.outFeatures) and \(expand.inFeatures)->\(expand.outFeatures) do not chain C -> mid -> C (batch \(batch))")
        }
        channels = reduce.inFeatures
        midChannels = reduce.outFeatures
        self.batch = batch
        self.reduce = reduce
        self.expand = expand
        pooled = Tensor(shape: [batch, channels])
        hidden = Tensor(shape: [batch, midChannels])
        gate = Tensor(shape: [batch, channels])
    }

    /// Scales `x` ([batch, H, W, channels]) in place by its excitation gates.
    public func callAsFunction(_ x: Tensor) {
        precondition(x.shape.count == 4 && x.shape[0] == batch && x.shape[3] == channels,
                     "SqueezeExcite(\(channels) channels, batch \(batch)): input \(x.shape)")
        let pixels = x.shape[1] * x.shape[2]
        GlobalAveragePool.run(x.pointer, pooled.pointer, batch: batch, pixels: pixels, channels: channels)
        reduce.run(rows: batch, pooled.pointer, hidden.pointer)
        expand.run(rows: batch, hidden.pointer, gate.pointer)
        let c = channels
        switch KernelDispatch.variant {
        case .avx2:
            let vectorEnd = c & ~7
            for image in 0..<batch {
                let g = gate.pointer + image * c
                var pixel = x.pointer + image * pixels * c
                for _ in 0..<pixels {
                    var j = 0
                    while j < vectorEnd {
                        Vector.store(Vector.load(pixel + j) * Vector.load(g + j), pixel + j)
                        j += 8
                    }
                    while j < c { pixel[j] *= g[j]; j += 1 }
                    pixel += c
                }
            }
        case .avx512:
            let vectorEnd = c & ~15
            for image in 0..<batch {
                let g = gate.pointer + image * c
                var pixel = x.pointer + image * pixels * c
                for _ in 0..<pixels {
                    var j = 0
                    while j < vectorEnd {
                        Vector.store(Vector.load16(pixel + j) * Vector.load16(g + j), pixel + j)
                        j += 16
                    }
                    if j + 8 <= c {
                        Vector.store(Vector.load(pixel + j) * Vector.load(g + j), pixel + j)
                        j += 8
                    }
                    while j < c { pixel[j] *= g[j]; j += 1 }
                    pixel += c
                }
            }
        }
    }
}
