import Kernels
import Testing

extension KernelVariantSuites {
    @Suite struct SqueezeExciteTests {
        func reference(_ se: SqueezeExcite, _ x: [Float], batch: Int, pixels: Int) -> [Double] {
            let c = se.channels
            var pooled = [Float](repeating: 0, count: batch * c)
            for n in 0..<batch {
                for j in 0..<c {
                    var sum = 0.0
                    for p in 0..<pixels { sum += Double(x[(n * pixels + p) * c + j]) }
                    pooled[n * c + j] = Float(sum / Double(pixels))
                }
            }
            let hidden = Reference.linear(pooled, rows: batch, se.reduce.weight.array, se.reduce.bias.array,
                                          inFeatures: c, outFeatures: se.midChannels).map { Float(max($0, 0)) }
            let gate = Reference.linear(hidden, rows: batch, se.expand.weight.array, se.expand.bias.array,
                                        inFeatures: se.midChannels, outFeatures: c).map { Reference.activation(.hardSigmoid, $0) }
            return x.indices.map { i in Double(x[i]) * gate[(i / (pixels * c)) * c + i % c] }
        }

        @Test(arguments: KernelVariant.runnable)
        func matchesReference(_ variant: KernelVariant) {
            KernelDispatch.forcing(variant) { matchesReference() }
        }

        func matchesReference() {
            for (n, h, w, c) in [(1, 1, 1, 8), (1, 5, 5, 1), (1, 5, 5, 3), (2, 7, 7, 17), (1, 13, 13, 33), (1, 7, 7, 40),
                                 (1, 5, 5, 72), (1, 7, 7, 120), (2, 28, 28, 144)] {
                let se = SqueezeExcite(channels: c, batch: n, seed: UInt64(c))
                let x = Reference.tensor([n, h, w, c], seed: 3, scale: 4)
                let expected = reference(se, x.array, batch: n, pixels: h * w)
                se(x)
                Reference.expectClose(x.array, expected, "\(KernelDispatch.variant) \([n, h, w, c])")
            }
        }

        @Test func onceForAllSqueezeWidth() {
            #expect(SqueezeExcite.defaultMidChannels(channels: 144) == 40)
            #expect(SqueezeExcite.defaultMidChannels(channels: 96) == 24)
            #expect(SqueezeExcite.defaultMidChannels(channels: 16) == 8)
            #expect(SqueezeExcite.defaultMidChannels(channels: 960) == 240)
            #expect(SqueezeExcite(channels: 72, seed: 1).midChannels == 24)
        }
    }
}
