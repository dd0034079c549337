import Kernels
import Testing

@Suite struct ActivationTests {
    @Test(arguments: Activation.allCases)
    func inPlaceMatchesDefinition(_ activation: Activation) {
        for count in [1, 5, 8, 17, 64, 1000] {
            let t = Reference.tensor([count], seed: UInt64(count), scale: 8)
            let expected = t.array.map { Reference.activation(activation, Double($0)) }
            activation.apply(t)
            let worst = zip(t.array, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max()!
            #expect(worst <= 1e-6, "\(activation) count \(count): error \(worst)")
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
