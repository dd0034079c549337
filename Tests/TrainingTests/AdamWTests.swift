import Foundation
import Testing
import Training

@Suite struct AdamWTests {
    static func store() throws -> ParameterStore {
        let store = try ParameterStore([("w", [3]), ("layer.bias", [2]), ("x.LayerNorm.weight", [2])])
        let values: [Float] = [0.5, -1.5, 2, 0.3, -0.7, 1.1, 0.9]
        let gradients: [Float] = [0.2, -0.05, 3, 0.01, -0.4, 0.25, -1e-3]
        var i = 0
        for tensor in store.tensors {
            for j in 0..<tensor.count {
                tensor.value[j] = values[i]
                tensor.gradient[j] = gradients[i]
                i += 1
            }
        }
        return store
    }

    /// Biases and LayerNorm weights are exempt from weight decay, everything else decays.
    @Test func grouping() throws {
        let optimizer = try AdamW(parameters: Self.store())
        #expect(optimizer.decays == [true, false, false])
        #expect(AdamW.isExemptFromDecay("bert.encoder.layer.0.attention.output.LayerNorm.weight"))
        #expect(AdamW.isExemptFromDecay("bert.encoder.layer.0.attention.output.LayerNorm.bias"))
        #expect(AdamW.isExemptFromDecay("classifier.bias"))
        #expect(!AdamW.isExemptFromDecay("bert.embeddings.word_embeddings.weight"))
        #expect(!AdamW.isExemptFromDecay("bert.encoder.layer.0.attention.self.query.weight"))
    }

    /// Two steps against the formulas in Double. After the first step Adam's update is
    /// lr·g/(|g| + eps) (the bias-corrected moments are g and g²): 0.5 with gradient 0.2, rate
    /// 0.01 and decay 0.1 becomes 0.5·(1 - 0.001) - 0.01·0.2/(0.2 + 1e-8).
    @Test func stepsMatchHandComputation() throws {
        let store = try Self.store()
        let settings = AdamWSettings(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1)
        let optimizer = AdamW(parameters: store, settings: settings)
        var p = store.tensors.flatMap { t in (0..<t.count).map { Double(t.value[$0]) } }
        let g = store.tensors.flatMap { t in (0..<t.count).map { Double(t.gradient[$0]) } }
        let decays = [true, true, true, false, false, false, false]
        var m = [Double](repeating: 0, count: 7), v = m
        for (step, rate) in [(1, 0.01), (2, 0.02)] {
            #expect(optimizer.update(learningRate: rate) == nil)
            for i in 0..<7 {
                if decays[i] { p[i] *= 1 - rate * 0.1 }
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                let mHat = m[i] / (1 - Foundation.pow(0.9, Double(step)))
                let vHat = v[i] / (1 - Foundation.pow(0.999, Double(step)))
                p[i] -= rate * mHat / (vHat.squareRoot() + 1e-8)
            }
            if step == 1 {
                #expect(abs(Double(store.values[0]) - (0.5 * 0.999 - 0.01 * 0.2 / (0.2 + 1e-8))) < 1e-7)
            }
            let actual = store.tensors.flatMap { t in (0..<t.count).map { Double(t.value[$0]) } }
            for i in 0..<7 { #expect(abs(actual[i] - p[i]) <= 1e-6 * max(1, abs(p[i])), "step \(step) parameter \(i)") }
        }
        #expect(optimizer.step == 2)
        // The moments are exposed under PyTorch's state names, at the parameters' offsets.
        let state = optimizer.namedState
        #expect(state.map(\.name) == ["w.exp_avg", "w.exp_avg_sq", "layer.bias.exp_avg", "layer.bias.exp_avg_sq",
                                      "x.LayerNorm.weight.exp_avg", "x.LayerNorm.weight.exp_avg_sq"])
        #expect(abs(Double(state[2].pointer[1]) - m[4]) < 1e-6 * abs(m[4]))
        #expect(abs(Double(state[3].pointer[1]) - v[4]) < 1e-6 * v[4])
    }

    /// With a maximum norm the update is the one of the gradients scaled to that norm
    /// (max_norm / (norm + 1e-6)); it returns the norm before clipping.
    @Test func clipping() throws {
        let clipped = try Self.store()
        let scaled = try Self.store()
        let norm = Fixtures.array(clipped.gradients, clipped.capacity).reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let coefficient = 0.5 / (norm + 1e-6)
        for i in 0..<scaled.capacity { scaled.gradients[i] = Float(Double(scaled.gradients[i]) * coefficient) }
        let a = AdamW(parameters: clipped, settings: AdamWSettings(weightDecay: 0.01, maxGradientNorm: 0.5))
        let b = AdamW(parameters: scaled, settings: AdamWSettings(weightDecay: 0.01))
        let reported = a.update(learningRate: 1e-3)
        b.update(learningRate: 1e-3)
        #expect(abs((reported ?? 0) - norm) < 1e-6 * norm)
        for i in 0..<clipped.capacity {
            #expect(abs(clipped.values[i] - scaled.values[i]) <= 1e-6 * max(1, abs(scaled.values[i])))
            #expect(abs(a.firstMoment[i] - b.firstMoment[i]) <= 1e-6 * abs(b.firstMoment[i]) + 1e-12)
        }
        // Clipping at a norm above the gradients' changes nothing.
        let loose = try Self.store(), plain = try Self.store()
        AdamW(parameters: loose, settings: AdamWSettings(maxGradientNorm: 100)).update(learningRate: 1e-3)
        AdamW(parameters: plain).update(learningRate: 1e-3)
        #expect(Fixtures.array(loose.values, loose.capacity) == Fixtures.array(plain.values, plain.capacity))
    }
}
