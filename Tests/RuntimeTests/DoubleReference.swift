import Foundation

/// The layers of the blocks written out in plain Double-precision loops, from their textbook
/// definitions: nothing here calls or mirrors Kernels, so a block that skips or reorders a
/// step disagrees with it. Tensors are flat row-major arrays; images are NHWC.
enum DoubleReference {
    enum Function {
        case identity, relu, relu6, hardSwish, hardSigmoid, tanh, gelu
    }

    static func apply(_ f: Function, _ x: Double) -> Double {
        func relu6(_ v: Double) -> Double { min(max(v, 0), 6) }
        switch f {
        case .identity: return x
        case .relu: return max(x, 0)
        case .relu6: return relu6(x)
        case .hardSwish: return x * relu6(x + 3) / 6
        case .hardSigmoid: return relu6(x + 3) / 6
        case .tanh: return Foundation.tanh(x)
        case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        }
    }

    /// y[r, j] = f(Σ_i x[r, i]·w[i, j] + b[j]) for `rows` rows; `w` is [in, out].
    static func linear(_ x: [Double], rows: Int, weight w: [Double], bias b: [Double], in n: Int, out m: Int,
                       _ f: Function = .identity) -> [Double] {
        precondition(x.count == rows * n && w.count == n * m && b.count == m)
        var y = [Double](repeating: 0, count: rows * m)
        for r in 0..<rows {
            for j in 0..<m {
                var sum = b[j]
                for i in 0..<n { sum += x[r * n + i] * w[i * m + j] }
                y[r * m + j] = apply(f, sum)
            }
        }
        return y
    }

    /// Each row of `features` values normalised to mean 0 and variance 1, then scaled and shifted.
    static func layerNorm(_ x: [Double], features n: Int, gamma: [Double], beta: [Double], epsilon: Double) -> [Double] {
        var y = x
        for r in 0..<(x.count / n) {
            let row = x[(r * n)..<((r + 1) * n)]
            let mean = row.reduce(0, +) / Double(n)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
            for j in 0..<n { y[r * n + j] = (x[r * n + j] - mean) / (variance + epsilon).squareRoot() * gamma[j] + beta[j] }
        }
        return y
    }

    static func add(_ a: [Double], _ b: [Double]) -> [Double] {
        zip(a, b).map { $0 + $1 }
    }

    /// Depthwise k x k convolution, zero padding k/2, output ceil(size/stride); weight [k, k, c].
    static func depthwise(_ x: [Double], batch: Int, size: Int, channels c: Int, kernel k: Int, stride s: Int,
                          weight: [Double], bias: [Double], _ f: Function) -> [Double] {
        let out = (size + s - 1) / s, pad = k / 2
        var y = [Double](repeating: 0, count: batch * out * out * c)
        for image in 0..<batch {
            for oy in 0..<out {
                for ox in 0..<out {
                    for ch in 0..<c {
                        var sum = bias[ch]
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let iy = oy * s - pad + ky, ix = ox * s - pad + kx
                                guard iy >= 0, iy < size, ix >= 0, ix < size else { continue }
                                sum += x[((image * size + iy) * size + ix) * c + ch] * weight[(ky * k + kx) * c + ch]
                            }
                        }
                        y[((image * out + oy) * out + ox) * c + ch] = apply(f, sum)
                    }
                }
            }
        }
        return y
    }

    /// Squeeze-and-excite: each channel scaled by h-sigmoid(W2·relu(W1·mean + b1) + b2), the
    /// mean taken over the image's pixels.
    static func squeezeExcite(_ x: [Double], batch: Int, pixels: Int, channels c: Int, mid: Int,
                              reduce: (w: [Double], b: [Double]), expand: (w: [Double], b: [Double])) -> [Double] {
        var y = x
        for image in 0..<batch {
            var mean = [Double](repeating: 0, count: c)
            for p in 0..<pixels {
                for ch in 0..<c { mean[ch] += x[(image * pixels + p) * c + ch] / Double(pixels) }
            }
            let hidden = linear(mean, rows: 1, weight: reduce.w, bias: reduce.b, in: c, out: mid, .relu)
            let gate = linear(hidden, rows: 1, weight: expand.w, bias: expand.b, in: mid, out: c, .hardSigmoid)
            for p in 0..<pixels {
                for ch in 0..<c { y[(image * pixels + p) * c + ch] *= gate[ch] }
            }
        }
        return y
    }

    /// Multi-head self-attention: Q, K, V from one projection (columns Q | K | V, head-major),
    /// softmax(Q·Kᵀ/√d)·V per sequence and head, then the output projection.
    static func attention(_ x: [Double], batch: Int, sequence s: Int, hidden: Int, heads: Int, headDim d: Int,
                          qkv: (w: [Double], b: [Double]), output: (w: [Double], b: [Double])) -> [Double] {
        let inner = heads * d
        let projected = linear(x, rows: batch * s, weight: qkv.w, bias: qkv.b, in: hidden, out: 3 * inner)
        var context = [Double](repeating: 0, count: batch * s * inner)
        for image in 0..<batch {
            for h in 0..<heads {
                func value(_ token: Int, _ part: Int, _ j: Int) -> Double {
                    projected[(image * s + token) * 3 * inner + part * inner + h * d + j]
                }
                for i in 0..<s {
                    var scores = (0..<s).map { t in (0..<d).reduce(0.0) { $0 + value(i, 0, $1) * value(t, 1, $1) } / Double(d).squareRoot() }
                    let top = scores.max()!
                    scores = scores.map { exp($0 - top) }
                    let total = scores.reduce(0, +)
                    for j in 0..<d {
                        context[(image * s + i) * inner + h * d + j] = (0..<s).reduce(0.0) { $0 + scores[$1] / total * value($1, 2, j) }
                    }
                }
            }
        }
        return linear(context, rows: batch * s, weight: output.w, bias: output.b, in: inner, out: hidden)
    }
}
