/// Global average pooling, NHWC [N, H, W, C] -> [N, C].
///
/// Pixels outer, channels inner: each pixel's channels are contiguous, so the sum is a stream of
/// vector adds into one row of C accumulators that stays in L1.
public struct GlobalAveragePool: Sendable {
    public init() {}

    public func callAsFunction(_ x: Tensor, _ y: Tensor) {
        precondition(x.shape.count == 4, "GlobalAveragePool: input \(x.shape) is not NHWC")
        let (n, c) = (x.shape[0], x.shape[3])
        precondition(y.count == n * c && y.shape.last == c, "GlobalAveragePool: output \(y.shape) for input \(x.shape)")
        Self.run(x.pointer, y.pointer, batch: n, pixels: x.shape[1] * x.shape[2], channels: c)
    }

    static func run(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, pixels: Int, channels c: Int) {
        let vectorEnd = c & ~7
        let scale = 1 / Float(pixels)
        for image in 0..<batch {
            let out = y + image * c
            out.update(repeating: 0, count: c)
            var pixel = x + image * pixels * c
            for _ in 0..<pixels {
                var j = 0
                while j < vectorEnd {
                    Vector.store(Vector.load(out + j) + Vector.load(pixel + j), out + j)
                    j += 8
                }
                while j < c { out[j] += pixel[j]; j += 1 }
                pixel += c
            }
            for j in 0..<c { out[j] *= scale }
        }
    }
}
