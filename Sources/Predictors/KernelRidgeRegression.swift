import Foundation
import Support

/// Kernel ridge regression with an RBF kernel `k(x, t) = exp(-γ |x - t|²)` on one-hot rows:
/// `α = (K + λ I)⁻¹ (y - ȳ)`, prediction `ȳ + Σ_t α_t k(x, t)`.
///
/// It is the posterior mean of a Gaussian process with that kernel and noise variance λ. Unlike
/// an ε-insensitive SVR it fits differences of a few hundredths of a point, which is the scale
/// at which sub-networks of one super-network differ in accuracy.
public struct KernelRidgeRegression: Sendable {
    public var gamma: Double
    public var lambda: Double
    /// The mean of the training targets, removed before fitting.
    public var offset: Double
    /// Columns of the one-hot space.
    public var width: Int
    /// Each training row's hot columns.
    public var trainingColumns: [[Int32]]
    /// `α`, one per training row.
    public var dualWeights: [Double]
    /// The training rows indexed for prediction, and `exp(-γ d)` for every possible distance d.
    let index: SharedColumnIndex
    let kernelTable: [Double]

    public init(gamma: Double, lambda: Double, offset: Double, width: Int, trainingColumns: [[Int32]], dualWeights: [Double]) {
        precondition(trainingColumns.count == dualWeights.count)
        self.gamma = gamma
        self.lambda = lambda
        self.offset = offset
        self.width = width
        self.trainingColumns = trainingColumns
        self.dualWeights = dualWeights
        index = SharedColumnIndex(rows: trainingColumns, width: width)
        kernelTable = Self.table(gamma: gamma, width: width)
    }

    /// Fits on one-hot rows. `squaredDistances`, when given, are the rows' pairwise squared
    /// distances (row-major `n x n`), as cross-validation computes them once for all fits.
    public init(hotColumns rows: [[Int32]], width: Int, targets: [Double], gamma: Double, lambda: Double,
                squaredDistances: [UInt16]? = nil) throws {
        precondition(rows.count == targets.count && !rows.isEmpty)
        let n = rows.count
        let distances = squaredDistances ?? SharedColumnIndex(rows: rows, width: width).pairwiseSquaredDistances(rows: rows)
        precondition(distances.count == n * n)
        let table = Self.table(gamma: gamma, width: width)
        var system = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i { system[i * n + j] = table[Int(distances[i * n + j])] }
            system[i * n + i] += lambda
        }
        let factor: Cholesky
        do {
            factor = try Cholesky(system, order: n)
        } catch let error as HwnasError {
            throw HwnasError("kernel ridge regression with gamma \(gamma), lambda \(lambda): \(error.message); use a larger lambda")
        }
        let mean = targets.reduce(0, +) / Double(n)
        let weights = factor.solve(targets.map { $0 - mean })
        self.init(gamma: gamma, lambda: lambda, offset: mean, width: width, trainingColumns: rows, dualWeights: weights)
    }

    /// `exp(-γ d)` for d = 0 ... 2 width, the largest squared distance two one-hot rows can have.
    static func table(gamma: Double, width: Int) -> [Double] {
        (0...(2 * width)).map { exp(-gamma * Double($0)) }
    }

    public func predict(hotColumns: [Int32]) -> Double {
        let n = index.count
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: max(n, 1)) { distances in
            index.squaredDistances(to: hotColumns, into: distances)
            var sum = 0.0
            kernelTable.withUnsafeBufferPointer { table in
                dualWeights.withUnsafeBufferPointer { weights in
                    for t in 0..<n { sum += weights[t] * table[Int(distances[t])] }
                }
            }
            return offset + sum
        }
    }
}

extension KernelRidgeRegression: Codable {
    enum CodingKeys: String, CodingKey {
        case gamma, lambda, offset, width, trainingFeatures, dualWeights
    }

    /// Training rows are written one string each (`"3 7 12 ..."`, the hot columns), which keeps a
    /// file of a few thousand rows readable and small.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let width = try container.decode(Int.self, forKey: .width)
        let texts = try container.decode([String].self, forKey: .trainingFeatures)
        let rows = try texts.enumerated().map { row, text in
            try text.split(separator: " ").map { field -> Int32 in
                guard let column = Int32(field), column >= 0, Int(column) < width else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .trainingFeatures, in: container,
                        debugDescription: "row \(row): '\(field)' is not a column of 0..<\(width)")
                }
                return column
            }
        }
        let weights = try container.decode([Double].self, forKey: .dualWeights)
        guard weights.count == rows.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .dualWeights, in: container,
                debugDescription: "\(weights.count) dual weights for \(rows.count) training rows")
        }
        self.init(gamma: try container.decode(Double.self, forKey: .gamma),
                  lambda: try container.decode(Double.self, forKey: .lambda),
                  offset: try container.decode(Double.self, forKey: .offset),
                  width: width, trainingColumns: rows, dualWeights: weights)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gamma, forKey: .gamma)
        try container.encode(lambda, forKey: .lambda)
        try container.encode(offset, forKey: .offset)
        try container.encode(width, forKey: .width)
        try container.encode(trainingColumns.map { $0.map(String.init).joined(separator: " ") }, forKey: .trainingFeatures)
        try container.encode(dualWeights, forKey: .dualWeights)
    }
}
