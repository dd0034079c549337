import Foundation
import Training

/// The training ops in Double, written plainly from their definitions (no slicing tricks, no
/// skipped keys, no fused passes): what the finite differences are taken on.
enum Reference {
    /// y[i, o] = Σ_{j < inputs} x[i, j]·w[o·stride + j] + bias[o] for o < outputs; x is
    /// [rows, inputs] dense, w a [*, stride] row-major weight of which the first `outputs`
    /// rows and `inputs` columns are used.
    static func linear(
        _ x: [Double], rows: Int, inputs: Int, weight w: [Double], stride: Int, outputs: Int, bias: [Double]?
    ) -> [Double] {
        var y = [Double](repeating: 0, count: rows * outputs)
        for i in 0..<rows {
            for o in 0..<outputs {
                var acc = bias?[o] ?? 0
                for j in 0..<inputs { acc += x[i * inputs + j] * w[o * stride + j] }
                y[i * outputs + o] = acc
            }
        }
        return y
    }

    static func layerNorm(_ x: [Double], rows: Int, features n: Int, gamma: [Double], beta: [Double], epsilon: Double) -> [Double] {
        var y = x
        for r in 0..<rows {
            var mean = 0.0
            for j in 0..<n { mean += x[r * n + j] }
            mean /= Double(n)
            var variance = 0.0
            for j in 0..<n { variance += (x[r * n + j] - mean) * (x[r * n + j] - mean) }
            variance /= Double(n)
            for j in 0..<n { y[r * n + j] = (x[r * n + j] - mean) / (variance + epsilon).squareRoot() * gamma[j] + beta[j] }
        }
        return y
    }

    static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot())) }

    /// x[i] scaled by 1/(1 - p) where `DropoutMask` keeps index first + i, else 0.
    static func dropout(_ x: [Double], key: UInt64?, probability: Float, first: Int = 0) -> [Double] {
        guard let key, probability > 0 else { return x }
        let threshold = DropoutMask.threshold(probability: probability)
        let scale = Double(1 / (1 - probability))
        return x.indices.map { i in
            DropoutMask.keeps(UInt32(truncatingIfNeeded: first + i), key: key, threshold: threshold) ? x[i] * scale : 0
        }
    }

    static func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }

    /// The weights of one attention block, full size ([hidden, hidden] each, biases [hidden]).
    struct AttentionWeights {
        var query: [Double], queryBias: [Double]
        var key: [Double], keyBias: [Double]
        var value: [Double], valueBias: [Double]
        var output: [Double], outputBias: [Double]
    }

    /// Multi-head self-attention of `batch` x `length` tokens with the first `heads` of
    /// `maxHeads` heads; masked keys (mask 0) get probability 0; dropout on the probabilities
    /// at index ((b·maxHeads + h)·length + i)·length + j.
    static func attention(
        _ x: [Double], batch: Int, length s: Int, hidden: Int, heads: Int, maxHeads: Int,
        weights w: AttentionWeights, mask: [Int32], key: UInt64?, probability: Float
    ) -> [Double] {
        let d = hidden / maxHeads, inner = heads * d, rows = batch * s
        let q = linear(x, rows: rows, inputs: hidden, weight: w.query, stride: hidden, outputs: inner, bias: w.queryBias)
        let k = linear(x, rows: rows, inputs: hidden, weight: w.key, stride: hidden, outputs: inner, bias: w.keyBias)
        let v = linear(x, rows: rows, inputs: hidden, weight: w.value, stride: hidden, outputs: inner, bias: w.valueBias)
        var context = [Double](repeating: 0, count: rows * inner)
        let threshold = DropoutMask.threshold(probability: probability)
        let scale = Double(1 / (1 - probability))
        for b in 0..<batch {
            for h in 0..<heads {
                for i in 0..<s {
                    var scores = [Double](repeating: -.infinity, count: s)
                    for j in 0..<s where mask[b * s + j] == 1 {
                        var dot = 0.0
                        for t in 0..<d { dot += q[(b * s + i) * inner + h * d + t] * k[(b * s + j) * inner + h * d + t] }
                        scores[j] = dot / Double(d).squareRoot()
                    }
                    let maximum = scores.max()!
                    var p = scores.map { $0 == -.infinity ? 0 : Foundation.exp($0 - maximum) }
                    let sum = p.reduce(0, +)
                    p = p.map { $0 / sum }
                    if let key, probability > 0 {
                        for j in 0..<s {
                            let index = ((b * maxHeads + h) * s + i) * s + j
                            p[j] *= DropoutMask.keeps(UInt32(index), key: key, threshold: threshold) ? scale : 0
                        }
                    }
                    for t in 0..<d {
                        var acc = 0.0
                        for j in 0..<s { acc += p[j] * v[(b * s + j) * inner + h * d + t] }
                        context[(b * s + i) * inner + h * d + t] = acc
                    }
                }
            }
        }
        return linear(context, rows: rows, inputs: inner, weight: w.output, stride: hidden, outputs: hidden, bias: w.outputBias)
    }

    /// Mean softmax cross-entropy.
    static func crossEntropy(_ logits: [Double], labels: [Int32], classes: Int) -> Double {
        let rows = labels.count
        var total = 0.0
        for r in 0..<rows {
            let z = Array(logits[(r * classes)..<((r + 1) * classes)])
            let m = z.max()!
            let logSum = m + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - m) })
            total += logSum - z[Int(labels[r])]
        }
        return total / Double(rows)
    }
}
