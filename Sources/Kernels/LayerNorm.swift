import Support

/// Layer normalisation over the last dimension, y = (x - mean)/√(var + eps)·gamma + beta.
///
/// Two passes over each row (mean, then variance of the centred values) rather than one pass of
/// sum and sum of squares: a row of 768 floats is in L1 either way, and the centred form does not
/// lose precision when the mean is large against the spread.
public struct LayerNorm: Sendable {
    public let features: Int
    public let epsilon: Float
    /// [features].
    public let gamma: Tensor
    /// [features].
    public let beta: Tensor

    /// gamma = 1, beta = 0. `epsilon` is 1e-12 in BERT, 1e-6 in ViT.
    public init(features: Int, epsilon: Float = 1e-12) {
        self.features = features
        self.epsilon = epsilon
        gamma = Tensor(shape: [features])
        gamma.fill(1)
        beta = Tensor(shape: [features])
    }

    /// gamma uniform in [0.5, 1.5), beta uniform in [-0.5, 0.5), from `seed` (for tests and
    /// benchmarks that should not see the identity affine map).
    public init(features: Int, epsilon: Float = 1e-12, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        self.features = features
        self.epsilon = epsilon
        gamma = Tensor(shape: [features], generator: &generator, scale: 0.5)
        for i in 0..<features { gamma.pointer[i] += 1 }
        beta = Tensor(shape: [features], generator: &generator, scale: 0.5)
    }

    /// Explicit gamma and beta, [features] each.
    public init(gamma: [Float], beta: [Float], epsilon: Float = 1e-12) throws(HwnasError) {
        guard gamma.count == beta.count else {
            throw HwnasError("LayerNorm: gamma has \(gamma.count) values, beta \(beta.count)")
        }
        features = gamma.count
        self.epsilon = epsilon
        self.gamma = try Tensor(shape: [features], values: gamma)
        self.beta = try Tensor(shape: [features], values: beta)
    }

    /// Normalises every row of `x` ([..., features]) into `y`, which may be `x` itself.
    public func callAsFunction(_ x: Tensor, _ y: Tensor) {
        precondition(x.shape.last == features && y.count == x.count,
                     "LayerNorm(\(features)): input \(x.shape), output \(y.shape)")
        run(rows: x.count / features, x.pointer, y.pointer)
    }

    /// Every row, with the vectors of `KernelDispatch.variant` (read once per call).
    func run(rows: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        run(rows: rows, x, y, variant: KernelDispatch.variant)
    }

    /// Every row with the vectors of `variant` (callers that normalise row by row read the
    /// variant once and pass it).
    func run(rows: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, variant: KernelVariant) {
        switch variant {
        case .avx2: run8(rows: rows, x, y)
        case .avx512: run16(rows: rows, x, y)
        }
    }

    func run8(rows: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let n = features
        let vectorEnd = n & ~7
        let g = gamma.pointer
        let b = beta.pointer
        for row in 0..<rows {
            let input = x + row * n
            let output = y + row * n
            var s0 = Float8.zero, s1 = Float8.zero
            var j = 0
            while j + 16 <= n {
                s0 += Vector.load(input + j)
                s1 += Vector.load(input + j + 8)
                j += 16
            }
            if j < vectorEnd { s0 += Vector.load(input + j); j += 8 }
            var sum = Vector.sum(s0 + s1)
            while j < n { sum += input[j]; j += 1 }
            let mean = sum / Float(n)
            let meanVector = Float8(repeating: mean)
            s0 = .zero; s1 = .zero
            j = 0
            while j + 16 <= n {
                let d0 = Vector.load(input + j) - meanVector
                let d1 = Vector.load(input + j + 8) - meanVector
                s0 = s0.addingProduct(d0, d0)
                s1 = s1.addingProduct(d1, d1)
                j += 16
            }
            if j < vectorEnd {
                let d = Vector.load(input + j) - meanVector
                s0 = s0.addingProduct(d, d)
                j += 8
            }
            var squares = Vector.sum(s0 + s1)
            while j < n { let d = input[j] - mean; squares += d * d; j += 1 }
            let rstd = 1 / (squares / Float(n) + epsilon).squareRoot()
            let scale = Float8(repeating: rstd)
            let shift = Float8(repeating: -mean * rstd)
            j = 0
            while j < vectorEnd {
                let normalised = shift.addingProduct(Vector.load(input + j), scale)
                Vector.store(Vector.load(b + j).addingProduct(normalised, Vector.load(g + j)), output + j)
                j += 8
            }
            while j < n {
                output[j] = (input[j] * rstd - mean * rstd) * g[j] + b[j]
                j += 1
            }
        }
    }

    /// The same passes on sixteen lanes; the affine pass ends with one padded register that
    /// computes what the eight-lane path's scalar tail computes.
    func run16(rows: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let n = features
        let vectorEnd = n & ~15
        let left = n - vectorEnd
        let g = gamma.pointer
        let b = beta.pointer
        for row in 0..<rows {
            let input = x + row * n
            let output = y + row * n
            var s0 = Float16x.zero, s1 = Float16x.zero
            var j = 0
            while j + 32 <= n {
                s0 += Vector.load16(input + j)
                s1 += Vector.load16(input + j + 16)
                j += 32
            }
            if j < vectorEnd { s0 += Vector.load16(input + j); j += 16 }
            var sum = Vector.sum(s0 + s1)
            while j < n { sum += input[j]; j += 1 }
            let mean = sum / Float(n)
            let meanVector = Float16x(repeating: mean)
            s0 = .zero; s1 = .zero
            j = 0
            while j + 32 <= n {
                let d0 = Vector.load16(input + j) - meanVector
                let d1 = Vector.load16(input + j + 16) - meanVector
                s0 = s0.addingProduct(d0, d0)
                s1 = s1.addingProduct(d1, d1)
                j += 32
            }
            if j < vectorEnd {
                let d = Vector.load16(input + j) - meanVector
                s0 = s0.addingProduct(d, d)
                j += 16
            }
            var squares = Vector.sum(s0 + s1)
            while j < n { let d = input[j] - mean; squares += d * d; j += 1 }
            let rstd = 1 / (squares / Float(n) + epsilon).squareRoot()
            let scale = Float16x(repeating: rstd)
            let shift = Float16x(repeating: -mean * rstd)
            j = 0
            while j < vectorEnd {
                let normalised = shift.addingProduct(Vector.load16(input + j), scale)
                Vector.store(Vector.load16(b + j).addingProduct(normalised, Vector.load16(g + j)), output + j)
                j += 16
            }
            if left > 0 {
                // The scalar tail's formula, unfused: a row of one feature (x = mean) gives 0.
                let normalised = Vector.loadPartial16(input + j, count: left) * scale - Float16x(repeating: mean * rstd)
                let affine = normalised * Vector.loadPartial16(g + j, count: left) + Vector.loadPartial16(b + j, count: left)
                Vector.storePartial(affine, output + j, count: left)
            }
        }
    }
}
