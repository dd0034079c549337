import Foundation
import Training

/// A BERT classifier's loss in Double, from `Reference`'s ops and a copy of the model's
/// parameters by name: the function whose finite differences the end-to-end gradient checks
/// compare the model's gradients with.
struct ReferenceBert {
    let configuration: BertConfiguration
    var values: [String: [Double]]
    let activeLayers: Int
    let heads: [Int]
    let intermediate: [Int]

    /// The model's parameters and active sub-network.
    init(_ model: BertClassifier) {
        configuration = model.configuration
        values = Dictionary(uniqueKeysWithValues: model.parameters.tensors.map { ($0.name, Fixtures.values($0)) })
        activeLayers = model.activeLayers
        heads = model.layers.prefix(model.activeLayers).map(\.attention.heads)
        intermediate = model.layers.prefix(model.activeLayers).map(\.intermediateSize)
    }

    /// The logits of `input`; `key` gives each dropout site's key (nil: no dropout there).
    func logits(_ input: TokenBatch, key: (DropoutSite) -> UInt64?) -> [Double] {
        let c = configuration
        let h = c.hiddenSize, s = input.length, rows = input.batch * s
        let epsilon = Double(c.layerNormEpsilon)
        func v(_ name: String) -> [Double] { values[name]! }
        var states = [Double](repeating: 0, count: rows * h)
        let words = v("bert.embeddings.word_embeddings.weight")
        let positions = v("bert.embeddings.position_embeddings.weight")
        let types = v("bert.embeddings.token_type_embeddings.weight")
        for t in 0..<rows {
            let id = Int(input.ids[t]), type = Int(input.tokenTypes[t]), position = t % s
            for j in 0..<h { states[t * h + j] = words[id * h + j] + positions[position * h + j] + types[type * h + j] }
        }
        states = Reference.layerNorm(states, rows: rows, features: h, gamma: v("bert.embeddings.LayerNorm.weight"),
                                     beta: v("bert.embeddings.LayerNorm.bias"), epsilon: epsilon)
        states = Reference.dropout(states, key: key(.embeddings), probability: c.hiddenDropout)
        for l in 0..<activeLayers {
            let p = "bert.encoder.layer.\(l)."
            let weights = Reference.AttentionWeights(
                query: v(p + "attention.self.query.weight"), queryBias: v(p + "attention.self.query.bias"),
                key: v(p + "attention.self.key.weight"), keyBias: v(p + "attention.self.key.bias"),
                value: v(p + "attention.self.value.weight"), valueBias: v(p + "attention.self.value.bias"),
                output: v(p + "attention.output.dense.weight"), outputBias: v(p + "attention.output.dense.bias"))
            let attended = Reference.attention(
                states, batch: input.batch, length: s, hidden: h, heads: heads[l], maxHeads: c.heads, weights: weights,
                mask: input.attentionMask, key: key(.attentionProbabilities(layer: l)), probability: c.attentionDropout)
            let residual1 = Reference.add(Reference.dropout(attended, key: key(.attentionOutput(layer: l)), probability: c.hiddenDropout), states)
            let normed = Reference.layerNorm(residual1, rows: rows, features: h, gamma: v(p + "attention.output.LayerNorm.weight"),
                                             beta: v(p + "attention.output.LayerNorm.bias"), epsilon: epsilon)
            let f = intermediate[l]
            let pre = Reference.linear(normed, rows: rows, inputs: h, weight: v(p + "intermediate.dense.weight"), stride: h,
                                       outputs: f, bias: v(p + "intermediate.dense.bias"))
            let activated = pre.map(Reference.gelu)
            let out = Reference.linear(activated, rows: rows, inputs: f, weight: v(p + "output.dense.weight"), stride: c.intermediateSize,
                                       outputs: h, bias: v(p + "output.dense.bias"))
            let residual2 = Reference.add(Reference.dropout(out, key: key(.feedForwardOutput(layer: l)), probability: c.hiddenDropout), normed)
            states = Reference.layerNorm(residual2, rows: rows, features: h, gamma: v(p + "output.LayerNorm.weight"),
                                         beta: v(p + "output.LayerNorm.bias"), epsilon: epsilon)
        }
        var first = [Double]()
        for b in 0..<input.batch { first += states[(b * s * h)..<(b * s * h + h)] }
        let pooled = Reference.linear(first, rows: input.batch, inputs: h, weight: v("bert.pooler.dense.weight"), stride: h,
                                      outputs: h, bias: v("bert.pooler.dense.bias")).map { Foundation.tanh($0) }
        let dropped = Reference.dropout(pooled, key: key(.classifier), probability: c.hiddenDropout)
        return Reference.linear(dropped, rows: input.batch, inputs: h, weight: v("classifier.weight"), stride: h,
                                outputs: c.labels, bias: v("classifier.bias"))
    }

    func loss(_ input: TokenBatch, key: (DropoutSite) -> UInt64?) -> Double {
        Reference.crossEntropy(logits(input, key: key), labels: input.labels, classes: configuration.labels)
    }
}
