import Support

/// Linear least squares with an L2 penalty on the coefficients, in closed form:
/// `w = (Xcᵀ Xc + α I)⁻¹ Xcᵀ yc`, `b = ȳ - x̄ · w`, where `Xc`, `yc` are the centred data.
///
/// Centring keeps the intercept out of the penalty (as scikit-learn's `Ridge` does), so a
/// constant shift of the targets shifts the intercept only. Features are used as given, without
/// scaling: one-hot columns are already on one scale.
public struct RidgeRegression: Codable, Equatable, Sendable {
    public var alpha: Double
    public var intercept: Double
    public var coefficients: [Double]

    public init(alpha: Double, intercept: Double, coefficients: [Double]) {
        self.alpha = alpha
        self.intercept = intercept
        self.coefficients = coefficients
    }

    /// Fits on dense rows (each `width` long).
    public init(features: [[Double]], targets: [Double], alpha: Double) throws {
        precondition(features.count == targets.count && !targets.isEmpty)
        let width = features[0].count
        let n = Double(targets.count)
        var mean = [Double](repeating: 0, count: width)
        for row in features {
            precondition(row.count == width, "rows of different widths")
            for k in 0..<width { mean[k] += row[k] / n }
        }
        let meanY = targets.reduce(0, +) / n
        var gram = [Double](repeating: 0, count: width * width)
        var moment = [Double](repeating: 0, count: width)
        var centred = [Double](repeating: 0, count: width)
        for (row, y) in zip(features, targets) {
            for k in 0..<width { centred[k] = row[k] - mean[k] }
            for i in 0..<width where centred[i] != 0 {
                let ci = centred[i]
                moment[i] += ci * (y - meanY)
                for j in 0...i { gram[i * width + j] += ci * centred[j] }
            }
        }
        try self.init(gram: gram, moment: moment, mean: mean, meanY: meanY, width: width, alpha: alpha)
    }

    /// Fits on one-hot rows, each given by the columns that are 1 (see `OneHotEncoding`):
    /// `Σ x xᵀ` then costs a few thousand additions per row instead of `width²`.
    public init(hotColumns rows: [[Int32]], width: Int, targets: [Double], alpha: Double) throws {
        precondition(rows.count == targets.count && !targets.isEmpty)
        let n = Double(targets.count)
        var counts = [Double](repeating: 0, count: width * width)
        var sums = [Double](repeating: 0, count: width)
        var sumsY = [Double](repeating: 0, count: width)
        for (row, y) in zip(rows, targets) {
            for a in row {
                let i = Int(a)
                sums[i] += 1
                sumsY[i] += y
                for b in row where b <= a { counts[i * width + Int(b)] += 1 }
            }
        }
        let mean = sums.map { $0 / n }
        let meanY = targets.reduce(0, +) / n
        // Σ (x - x̄)(x - x̄)ᵀ = Σ x xᵀ - n x̄ x̄ᵀ;  Σ (x - x̄)(y - ȳ) = Σ x y - n x̄ ȳ.
        for i in 0..<width {
            for j in 0...i { counts[i * width + j] -= n * mean[i] * mean[j] }
        }
        let moment = (0..<width).map { sumsY[$0] - n * mean[$0] * meanY }
        try self.init(gram: counts, moment: moment, mean: mean, meanY: meanY, width: width, alpha: alpha)
    }

    /// Solves the penalised normal equations from the centred Gram matrix (lower triangle) and moments.
    init(gram: [Double], moment: [Double], mean: [Double], meanY: Double, width: Int, alpha: Double) throws {
        var system = gram
        for i in 0..<width {
            system[i * width + i] += alpha
            for j in 0..<i { system[j * width + i] = system[i * width + j] }
        }
        let factor: Cholesky
        do {
            factor = try Cholesky(system, order: width)
        } catch let error as HwnasError {
            throw HwnasError("ridge regression with alpha \(alpha): \(error.message); use a larger alpha")
        }
        let w = factor.solve(moment)
        var b = meanY
        for k in 0..<width { b -= mean[k] * w[k] }
        self.init(alpha: alpha, intercept: b, coefficients: w)
    }

    public func predict(_ features: [Double]) -> Double {
        precondition(features.count == coefficients.count)
        var y = intercept
        for k in 0..<features.count { y += features[k] * coefficients[k] }
        return y
    }

    public func predict(hotColumns: [Int32]) -> Double {
        var y = intercept
        for column in hotColumns { y += coefficients[Int(column)] }
        return y
    }
}
