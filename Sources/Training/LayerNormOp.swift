import Kernels

/// Layer normalisation over the last dimension with its backward pass:
/// y = (x - mean)/√(var + eps) · gamma + beta, the variance biased (PyTorch's).
///
/// The forward keeps the normalised rows x̂ and 1/σ per row; the backward needs nothing else:
/// dx = (dx̂ - mean(dx̂) - x̂·mean(dx̂ ⊙ x̂)) / σ with dx̂ = dy ⊙ gamma, and it adds
/// Σ dy ⊙ x̂ and Σ dy to the gradients of gamma and beta.
public final class LayerNormOp {
    public let gamma: ParameterTensor
    public let beta: ParameterTensor
    public let features: Int
    public let epsilon: Float
    public let maxRows: Int
    /// [maxRows, features]: x̂ of the last forward.
    let normalized: Tensor
    /// [maxRows]: 1/σ of the last forward.
    let inverseDeviation: Tensor
    private(set) var rows = 0

    public init(gamma: ParameterTensor, beta: ParameterTensor, epsilon: Float, maxRows: Int) {
        precondition(gamma.count == beta.count, "LayerNorm \(gamma.name): gamma \(gamma.shape), beta \(beta.shape)")
        self.gamma = gamma
        self.beta = beta
        features = gamma.count
        self.epsilon = epsilon
        self.maxRows = maxRows
        normalized = Tensor(shape: [maxRows, gamma.count])
        inverseDeviation = Tensor(shape: [maxRows])
    }

    /// Normalises `rows` contiguous rows of `x` into `y` (which may be `x`).
    public func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, rows: Int) {
        precondition(rows <= maxRows, "LayerNorm \(gamma.name): \(rows) rows, sized for \(maxRows)")
        self.rows = rows
        let n = features
        let g = UnsafePointer(gamma.value), b = UnsafePointer(beta.value)
        for r in 0..<rows {
            let input = x + r * n
            let output = y + r * n
            let saved = normalized.pointer + r * n
            var s = Float16x.zero
            var j = 0
            while j < n {
                s += Lanes.load(input + j, count: n - j)
                j += 16
            }
            let mean = Lanes.sum(s) / Float(n)
            let meanVector = Float16x(repeating: mean)
            s = .zero
            j = 0
            while j < n {
                let left = n - j
                var d = Lanes.load(input + j, count: left) - meanVector
                if left < 16 { for lane in left..<16 { d[lane] = 0 } }
                s = s.addingProduct(d, d)
                j += 16
            }
            let rstd = 1 / (Lanes.sum(s) / Float(n) + epsilon).squareRoot()
            inverseDeviation.pointer[r] = rstd
            let scale = Float16x(repeating: rstd)
            j = 0
            while j < n {
                let left = n - j
                let hat = (Lanes.load(input + j, count: left) - meanVector) * scale
                Lanes.store(hat, saved + j, count: left)
                Lanes.store(Lanes.load(b + j, count: left).addingProduct(hat, Lanes.load(g + j, count: left)), output + j, count: left)
                j += 16
            }
        }
    }

    /// dx from dy for the rows of the last forward (`dx` may be `dy`); adds to the gradients
    /// of gamma and beta.
    public func backward(_ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let n = features
        let g = UnsafePointer(gamma.value)
        let dg = gamma.gradient, db = beta.gradient
        let inverseN = 1 / Float(n)
        for r in 0..<rows {
            let dyr = dy + r * n
            let dxr = dx + r * n
            let hat = normalized.pointer + r * n
            var s1 = Float16x.zero, s2 = Float16x.zero
            var j = 0
            while j < n {
                let left = n - j
                let d = Lanes.load(dyr + j, count: left)
                let h = Lanes.load(hat + j, count: left)
                let dh = d * Lanes.load(g + j, count: left)
                s1 += dh
                s2 = s2.addingProduct(dh, h)
                Lanes.store(Lanes.load(dg + j, count: left).addingProduct(d, h), dg + j, count: left)
                Lanes.store(Lanes.load(db + j, count: left) + d, db + j, count: left)
                j += 16
            }
            let meanD = Float16x(repeating: Lanes.sum(s1) * inverseN)
            let meanDH = Float16x(repeating: Lanes.sum(s2) * inverseN)
            let rstd = Float16x(repeating: inverseDeviation.pointer[r])
            j = 0
            while j < n {
                let left = n - j
                let dh = Lanes.load(dyr + j, count: left) * Lanes.load(g + j, count: left)
                let h = Lanes.load(hat + j, count: left)
                Lanes.store((dh - meanD - h * meanDH) * rstd, dxr + j, count: left)
                j += 16
            }
        }
    }
}
