import Kernels
import Testing

extension KernelVariantSuites {
    @Suite struct ActivationTests {
        /// Every variant, with counts that leave tails of every length below 8, 16 and 32.
        @Test(arguments: KernelVariant.runnable, Activation.allCases)
        func inPlaceMatchesDefinition(_ variant: KernelVariant, _ activation: Activation) {
            KernelDispatch.forcing(variant) {
                for count in [1, 3, 5, 8, 15, 16, 17, 31, 33, 40, 64, 72, 120, 1000] {
                    let t = Reference.tensor([count], seed: UInt64(count), scale: 8)
                    let expected = t.array.map { Reference.activation(activation, Double($0)) }
                    activation.apply(t)
                    let worst = zip(t.array, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max()!
                    #expect(worst <= 1e-6, "\(variant) \(activation) count \(count): error \(worst)")
                }
            }
        }

        /// The sixteen-lane activation returns exactly what the eight-lane one returns, lane by lane.
        @Test(arguments: Activation.allCases)
        func sixteenLanesMatchEight(_ activation: Activation) {
            let values = Reference.random(4096, seed: 11, scale: 10)
            for start in stride(from: 0, to: values.count, by: 16) {
                var wide = Float16x.zero
                for lane in 0..<16 { wide[lane] = values[start + lane] }
                let result = activation(wide)
                let low = activation(wide.lowHalf), high = activation(wide.highHalf)
                for lane in 0..<8 {
                    #expect(result[lane] == low[lane] && result[lane + 8] == high[lane], "\(activation) at \(values[start + lane])")
                }
            }
        }

        @Test func hardFunctionsAtTheirKnees() {
            #expect(Activation.hardSigmoid(Float(-3)) == 0)
            #expect(Activation.hardSigmoid(Float(3)) == 1)
            #expect(Activation.hardSwish(Float(4)) == 4)
            #expect(Activation.hardSwish(Float(-4)) == 0)
            #expect(Activation.relu6(Float(7)) == 6)
        }
    }
}
