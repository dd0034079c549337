/// Convolutions from their definitions, in Double, NHWC with "same" padding k/2.
enum ConvolutionReference {
    /// Dense convolution, weights [k, k, Cin, Cout]; `depthwise` uses weights [k, k, C].
    static func convolve(
        _ x: [Float], batch: Int, height: Int, width: Int, inChannels: Int, outChannels: Int,
        kernel k: Int, stride s: Int, weight: [Float], bias: [Float], depthwise: Bool
    ) -> (values: [Double], outHeight: Int, outWidth: Int) {
        let ho = (height + s - 1) / s, wo = (width + s - 1) / s, p = k / 2
        var y = [Double](repeating: 0, count: batch * ho * wo * outChannels)
        // Raw buffers: array subscripts are slow in debug builds.
        x.withUnsafeBufferPointer { xs in weight.withUnsafeBufferPointer { ws in
            for n in 0..<batch {
                for oy in 0..<ho {
                    for ox in 0..<wo {
                        for co in 0..<outChannels {
                            var acc = Double(bias[co])
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let iy = oy * s - p + ky, ix = ox * s - p + kx
                                    guard iy >= 0, iy < height, ix >= 0, ix < width else { continue }
                                    let base = ((n * height + iy) * width + ix) * inChannels
                                    if depthwise {
                                        acc += Double(xs[base + co]) * Double(ws[(ky * k + kx) * outChannels + co])
                                    } else {
                                        for ci in 0..<inChannels {
                                            acc += Double(xs[base + ci]) * Double(ws[((ky * k + kx) * inChannels + ci) * outChannels + co])
                                        }
                                    }
                                }
                            }
                            y[((n * ho + oy) * wo + ox) * outChannels + co] = acc
                        }
                    }
                }
            }
        } }
        return (y, ho, wo)
    }
}
