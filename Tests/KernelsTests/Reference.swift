import Foundation
import Kernels
import Testing

/// Shared helpers of the kernel tests: random data and a magnitude-relative comparison.
enum Reference {
    /// `count` values uniform in [-scale, scale) from `seed`.
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        Tensor(shape: [count], seed: seed, scale: scale).array
    }

    /// A tensor of `shape` uniform in [-scale, scale) from `seed`.
    static func tensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        Tensor(shape: shape, seed: seed, scale: scale)
    }

    /// The largest error of `actual` against `expected`, measured against the tensor's
    /// magnitude: |a - e| / max(|e|, max |expected| · floor), so that values near zero produced by
    /// cancellation are judged on the scale of the whole output.
    static func relativeError(_ actual: [Float], _ expected: [Double], floor: Double = 1e-2) -> Double {
        precondition(actual.count == expected.count, "\(actual.count) values against \(expected.count)")
        let magnitude = expected.reduce(0) { Swift.max($0, Swift.abs($1)) }
        var worst = 0.0
        for (a, e) in zip(actual, expected) {
            let a = Double(a)
            guard a.isFinite else { return .infinity }
            let denominator = Swift.max(Swift.abs(e), magnitude * floor, 1e-30)
            worst = Swift.max(worst, Swift.abs(a - e) / denominator)
        }
        return worst
    }

    static func expectClose(
        _ actual: [Float], _ expected: [Double], tolerance: Double = 1e-4,
        _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = relativeError(actual, expected)
        #expect(error <= tolerance, "relative error \(error) > \(tolerance) \(comment())", sourceLocation: sourceLocation)
    }

    /// y[r, o] = sum_i x[r, i]·w[i, o] + b[o], in Double.
    static func linear(_ x: [Float], rows: Int, _ w: [Float], _ b: [Float], inFeatures: Int, outFeatures: Int) -> [Double] {
        var y = [Double](repeating: 0, count: rows * outFeatures)
        // Raw buffers: array subscripts are slow in debug builds, and these loops are long.
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    for r in 0..<rows {
                        for o in 0..<outFeatures {
                            var acc = Double(b[o])
                            for i in 0..<inFeatures { acc += Double(x[r * inFeatures + i]) * Double(w[i * outFeatures + o]) }
                            y[r * outFeatures + o] = acc
                        }
                    }
                }
            }
        }
        return y
    }

    /// The activations in Double, written from their definitions.
    static func activation(_ a: Activation, _ x: Double) -> Double {
        switch a {
        case .identity: x
        case .relu: Swift.max(x, 0)
        case .relu6: Swift.min(Swift.max(x, 0), 6)
        case .hardSwish: x * Swift.min(Swift.max(x + 3, 0), 6) / 6
        case .hardSigmoid: Swift.min(Swift.max(x + 3, 0), 6) / 6
        case .tanh: Foundation.tanh(x)
        case .gelu: 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        }
    }

    static func layerNorm(_ x: [Double], rows: Int, features: Int, gamma: [Float], beta: [Float], epsilon: Double) -> [Double] {
        var y = x
        for r in 0..<rows {
            let row = x[(r * features)..<((r + 1) * features)]
            let mean = row.reduce(0, +) / Double(features)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(features)
            for j in 0..<features {
                y[r * features + j] = (x[r * features + j] - mean) / (variance + epsilon).squareRoot() * Double(gamma[j]) + Double(beta[j])
            }
        }
        return y
    }
}
