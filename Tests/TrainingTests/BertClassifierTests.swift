import Kernels
import Support
import Testing
import Training

@Suite struct BertClassifierTests {
    /// Hidden 8, 2 heads of 4, intermediate 12, 2 layers, vocabulary 20.
    static let tiny = BertConfiguration(
        vocabularySize: 20, hiddenSize: 8, layers: 2, heads: 2, intermediateSize: 12, maxPositions: 6,
        typeVocabularySize: 2, labels: 2, layerNormEpsilon: 1e-12, hiddenDropout: 0.1, attentionDropout: 0.1)

    /// Three sequences of at most 5 tokens: full, padded after 3, padded after 2 (padding id 0).
    static func batch() throws -> TokenBatch {
        try TokenBatch(
            batch: 3, length: 5,
            ids: [1, 7, 12, 5, 2, 1, 9, 3, 0, 0, 1, 19, 0, 0, 0],
            tokenTypes: [0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
            attentionMask: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0],
            labels: [1, 0, 1])
    }

    /// The tiny model with every parameter random (LayerNorm weights near 1), so that no
    /// gradient is trivially 0.
    static func model(seed: UInt64) throws -> BertClassifier {
        let model = try BertClassifier(configuration: tiny, maxBatch: 4, maxLength: 5, seed: seed)
        Fixtures.randomize(model.parameters, seed: seed, scale: 0.5)
        return model
    }

    /// The model's gradient of the loss against central differences of the Double reference,
    /// for sampled entries of every parameter tensor: relative to the tensor's largest sampled
    /// finite difference, and to a floor of the largest over all tensors.
    static func checkGradients(_ model: BertClassifier, _ input: TokenBatch, training: Bool, step: Int, tolerance: Double) throws {
        model.zeroGradients()
        let loss = try model.forwardBackward(input, step: step, training: training)
        let reference = ReferenceBert(model)
        let key: (DropoutSite) -> UInt64? = { training ? model.dropoutKey($0, step: step) : nil }
        let expectedLoss = reference.loss(input, key: key)
        #expect(abs(Double(loss) - expectedLoss) < 1e-5 * max(1, expectedLoss), "loss \(loss) against \(expectedLoss)")

        var checks: [(name: String, actual: [Float], expected: [Double])] = []
        for (position, tensor) in model.parameters.tensors.enumerated() {
            var indices = Fixtures.sample(6, below: tensor.count, seed: UInt64(position))
            if tensor.name.hasSuffix("word_embeddings.weight") {
                // Rows of tokens in the batch, and one row no token uses.
                let h = tensor.columns
                indices = [1 * h, 7 * h + 3, 12 * h + 5, 19 * h + 7, 9 * h + 1, 4 * h + 2]
            }
            let point = reference.values[tensor.name]!
            var changed = reference
            let expected = Fixtures.centralDifferences(point, at: indices, step: 1e-4) { values in
                changed.values[tensor.name] = values
                return changed.loss(input, key: key)
            }
            checks.append((tensor.name, indices.map { tensor.gradient[$0] }, expected))
        }
        let largest = checks.flatMap(\.expected).reduce(0) { max($0, abs($1)) }
        #expect(largest > 1e-3, "the gradients are not all negligible")
        for check in checks {
            Fixtures.expectClose(check.actual, check.expected, tolerance: tolerance, floor: 1e-2, absolute: 1e-4 * largest, check.name)
        }
    }

    @Test func gradientsWithDropoutMatchFiniteDifferences() throws {
        let model = try Self.model(seed: 1)
        try Self.checkGradients(model, Self.batch(), training: true, step: 3, tolerance: 2e-3)
    }

    @Test func gradientsInEvaluationMatchFiniteDifferences() throws {
        let model = try Self.model(seed: 2)
        try Self.checkGradients(model, Self.batch(), training: false, step: 0, tolerance: 2e-3)
    }

    /// A sub-network (the first layer, one head, 5 intermediate units): gradients match the
    /// reference of that sub-network, and the rest of every shared weight gets none.
    @Test func subNetworkGradientsStayInTheirSlices() throws {
        let model = try Self.model(seed: 3)
        try model.activate(layers: 1, heads: [1], intermediate: [5])
        try Self.checkGradients(model, Self.batch(), training: true, step: 5, tolerance: 2e-3)
        let h = 8, inner = 4, units = 5
        func gradient(_ name: String) -> [Float] { Fixtures.gradient(model.parameters[name]!) }
        for projection in ["query", "key", "value"] {
            #expect(gradient("bert.encoder.layer.0.attention.self.\(projection).weight")[(inner * h)...].allSatisfy { $0 == 0 })
            #expect(gradient("bert.encoder.layer.0.attention.self.\(projection).bias")[inner...].allSatisfy { $0 == 0 })
        }
        let output = gradient("bert.encoder.layer.0.attention.output.dense.weight")
        for r in 0..<h { #expect(output[(r * h + inner)..<((r + 1) * h)].allSatisfy { $0 == 0 }) }
        #expect(gradient("bert.encoder.layer.0.intermediate.dense.weight")[(units * h)...].allSatisfy { $0 == 0 })
        #expect(gradient("bert.encoder.layer.0.intermediate.dense.bias")[units...].allSatisfy { $0 == 0 })
        let down = gradient("bert.encoder.layer.0.output.dense.weight")
        for r in 0..<h { #expect(down[(r * 12 + units)..<((r + 1) * 12)].allSatisfy { $0 == 0 }) }
        for tensor in model.parameters.tensors where tensor.name.hasPrefix("bert.encoder.layer.1.") {
            #expect(Fixtures.gradient(tensor).allSatisfy { $0 == 0 }, "\(tensor.name) of an inactive layer")
        }
        // Back to the full network: the same forward as a fresh model's.
        model.activateAll()
        #expect(model.activeLayers == 2 && model.layers.allSatisfy { $0.attention.heads == 2 && $0.intermediateSize == 12 })
    }

    /// A team cuts the batch into shards (3 sequences over 2 or 3 threads; 1 sequence over 2,
    /// one shard idle): the loss, logits and every gradient of the one-shard model up to
    /// rounding, dropout masks included, from labels or from a given logit gradient; two runs
    /// agree bit for bit.
    @Test(arguments: [(2, 3), (3, 3), (2, 1)])
    func shardsComputeTheOneShardStep(_ threads: Int, _ sequences: Int) throws {
        let full = try Self.batch()
        let input = try TokenBatch(
            batch: sequences, length: full.length, ids: Array(full.ids.prefix(sequences * full.length)),
            tokenTypes: Array(full.tokenTypes.prefix(sequences * full.length)),
            attentionMask: Array(full.attentionMask.prefix(sequences * full.length)), labels: Array(full.labels.prefix(sequences)))
        let one = try Self.model(seed: 7)
        let team = try WorkerTeam(size: threads)
        let sharded = try BertClassifier(configuration: Self.tiny, maxBatch: 4, maxLength: 5, seed: 7, team: team)
        Fixtures.randomize(sharded.parameters, seed: 7, scale: 0.5)
        let expectedLoss = try one.forwardBackward(input, step: 3)
        let expectedLogits = try Array(one.forward(input, training: true, step: 3)).map(Double.init)
        let loss = try sharded.forwardBackward(input, step: 3)
        #expect(abs(loss - expectedLoss) <= 1e-6 * abs(expectedLoss), "loss \(loss) against \(expectedLoss)")
        for (a, b) in zip(sharded.parameters.tensors, one.parameters.tensors) {
            // Key biases get 0 up to rounding (the softmax ignores a shift): judged absolutely.
            let absolute = a.name.hasSuffix("key.bias") ? 1e-3 : 1e-7
            Fixtures.expectClose(Fixtures.gradient(a), Fixtures.gradient(b).map(Double.init), tolerance: 1e-5, absolute: absolute, a.name)
        }
        let first = Fixtures.array(sharded.parameters.gradients, sharded.parameters.capacity)
        sharded.zeroGradients()
        #expect(Fixtures.array(sharded.parameters.gradients, sharded.parameters.capacity).allSatisfy { $0 == 0 })
        #expect(try sharded.forwardBackward(input, step: 3) == loss)
        #expect(Fixtures.array(sharded.parameters.gradients, sharded.parameters.capacity) == first)
        Fixtures.expectClose(try Array(sharded.forward(input, training: true, step: 3)), expectedLogits, tolerance: 1e-5)

        // A loss's logit gradient given from outside (InstaTune's) reaches every shard's rows.
        let logitGradient = Fixtures.random(sequences * Self.tiny.labels, seed: 9)
        for model in [one, sharded] {
            model.zeroGradients()
            try model.forward(input, training: true, step: 4)
            try logitGradient.withUnsafeBufferPointer { (g) throws(HwnasError) in try model.backward(logitGradient: g.baseAddress!) }
        }
        for (a, b) in zip(sharded.parameters.tensors, one.parameters.tensors) {
            let absolute = a.name.hasSuffix("key.bias") ? 1e-3 : 1e-7
            Fixtures.expectClose(Fixtures.gradient(a), Fixtures.gradient(b).map(Double.init), tolerance: 1e-5, absolute: absolute, a.name)
        }
    }

    @Test func shardedGradientsMatchFiniteDifferences() throws {
        let model = try BertClassifier(configuration: Self.tiny, maxBatch: 4, maxLength: 5, seed: 8, team: WorkerTeam(size: 2))
        Fixtures.randomize(model.parameters, seed: 8, scale: 0.5)
        try Self.checkGradients(model, Self.batch(), training: true, step: 2, tolerance: 2e-3)
    }

    /// The logits against the reference; the same step gives the same loss, another step other
    /// dropout masks; evaluation ignores the step.
    @Test func forwardIsDeterministic() throws {
        let model = try Self.model(seed: 4)
        let input = try Self.batch()
        let logits = try Array(model.forward(input, training: false))
        let expected = ReferenceBert(model).logits(input) { _ in nil }
        Fixtures.expectClose(logits, expected, tolerance: 1e-5)
        #expect(try Array(model.forward(input, training: false, step: 9)) == logits)
        let a = try Array(model.forward(input, training: true, step: 1))
        let b = try Array(model.forward(input, training: true, step: 1))
        let c = try Array(model.forward(input, training: true, step: 2))
        #expect(a == b)
        #expect(a != c)
        #expect(a != logits)
    }

    /// After `zeroGradients` every gradient is 0, the word table's touched rows included.
    @Test func zeroGradientsClearsEverything() throws {
        let model = try Self.model(seed: 5)
        _ = try model.forwardBackward(Self.batch(), step: 0)
        #expect(Fixtures.array(model.parameters.gradients, model.parameters.capacity).contains { $0 != 0 })
        model.zeroGradients()
        #expect(Fixtures.array(model.parameters.gradients, model.parameters.capacity).allSatisfy { $0 == 0 })
    }

    /// Hugging Face's names and shapes, 22,713,986 parameters for MiniLM-L6-H384 with a
    /// two-class head (22,713,216 in the encoder and pooler, as all-MiniLM-L6-v2 ships).
    @Test func miniLMLayoutHasHuggingFaceNames() {
        let layout = BertClassifier.parameterLayout(.miniLML6H384)
        #expect(layout.count == 5 + 6 * 16 + 4)
        #expect(layout.reduce(0) { $0 + $1.shape.reduce(1, *) } == 22_713_986)
        let shapes = Dictionary(uniqueKeysWithValues: layout.map { ($0.name, $0.shape) })
        #expect(shapes["bert.embeddings.word_embeddings.weight"] == [30_522, 384])
        #expect(shapes["bert.embeddings.position_embeddings.weight"] == [512, 384])
        #expect(shapes["bert.embeddings.token_type_embeddings.weight"] == [2, 384])
        #expect(shapes["bert.embeddings.LayerNorm.weight"] == [384])
        #expect(shapes["bert.encoder.layer.0.attention.self.query.weight"] == [384, 384])
        #expect(shapes["bert.encoder.layer.5.attention.output.LayerNorm.bias"] == [384])
        #expect(shapes["bert.encoder.layer.3.intermediate.dense.weight"] == [1536, 384])
        #expect(shapes["bert.encoder.layer.3.output.dense.weight"] == [384, 1536])
        #expect(shapes["bert.pooler.dense.weight"] == [384, 384])
        #expect(shapes["classifier.weight"] == [2, 384])
        #expect(shapes["classifier.bias"] == [2])
        #expect(layout.first?.name == "bert.embeddings.word_embeddings.weight" && layout.last?.name == "classifier.bias")
    }

    /// The store exposes (name, shape, pointer) in layout order, each pointer at its tensor.
    @Test func namedValuesPointIntoTheStore() throws {
        let model = try Self.model(seed: 6)
        let named = model.parameters.namedValues
        #expect(named.map(\.name) == BertClassifier.parameterLayout(Self.tiny).map(\.name))
        for (entry, tensor) in zip(named, model.parameters.tensors) {
            #expect(entry.pointer == tensor.value && entry.shape == tensor.shape)
            #expect(Int(bitPattern: entry.pointer) % 64 == 0, "\(entry.name) is 64-byte aligned")
        }
        let classifier = try model.parameters.tensor(named: "classifier.weight")
        classifier.value[0] = 123
        #expect(model.classifier.weight.value[0] == 123)
        Fixtures.expectError("no parameter named") { _ = try model.parameters.tensor(named: "bert.nothing") }
    }

    /// Hugging Face's initialisation: weights with standard deviation about 0.02, biases 0,
    /// LayerNorm gamma 1 and beta 0, the padding row 0.
    @Test func initialisationIsHuggingFaces() throws {
        let model = try BertClassifier(configuration: Self.tiny, maxBatch: 1, maxLength: 5, seed: 9)
        let p = model.parameters
        let values = Fixtures.values(p["bert.encoder.layer.0.intermediate.dense.weight"]!)
        let deviation = (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
        #expect(abs(deviation - 0.02) < 0.006, "deviation \(deviation)")
        #expect(Fixtures.values(p["bert.encoder.layer.0.intermediate.dense.bias"]!).allSatisfy { $0 == 0 })
        #expect(Fixtures.values(p["bert.encoder.layer.1.output.LayerNorm.weight"]!).allSatisfy { $0 == 1 })
        #expect(Fixtures.values(p["bert.encoder.layer.1.output.LayerNorm.bias"]!).allSatisfy { $0 == 0 })
        #expect(Fixtures.values(p["bert.embeddings.word_embeddings.weight"]!)[0..<8].allSatisfy { $0 == 0 })
        #expect(Fixtures.values(p["bert.embeddings.word_embeddings.weight"]!)[8..<16].contains { $0 != 0 })
    }

    /// Bad batches and labels are refused with the value named, before anything runs.
    @Test func badInputIsRefused() throws {
        let model = try Self.model(seed: 7)
        Fixtures.expectError("outside the vocabulary") {
            try model.forward(TokenBatch(batch: 1, length: 2, ids: [1, 20]), training: false)
        }
        Fixtures.expectError("token type 2") {
            try model.forward(TokenBatch(batch: 1, length: 2, ids: [1, 2], tokenTypes: [0, 2]), training: false)
        }
        Fixtures.expectError("sized for 4 x 5") {
            try model.forward(TokenBatch(batch: 5, length: 2, ids: Array(repeating: 1, count: 10)), training: false)
        }
        Fixtures.expectError("sized for 4 x 5") {
            try model.forward(TokenBatch(batch: 1, length: 6, ids: Array(repeating: 1, count: 6)), training: false)
        }
        Fixtures.expectError("expected 0 or 1") {
            try model.forward(TokenBatch(batch: 1, length: 2, ids: [1, 2], attentionMask: [1, 3]), training: false)
        }
        Fixtures.expectError("ids has 3 values") { _ = try TokenBatch(batch: 1, length: 2, ids: [1, 2, 3]) }
        Fixtures.expectError("backward without a forward") { _ = try model.backward(labels: [0]) }
        try model.forward(TokenBatch(batch: 1, length: 2, ids: [1, 2]), training: false)
        Fixtures.expectError("label 2 of sequence 0") { _ = try model.backward(labels: [2]) }
        Fixtures.expectError("1 labels for a batch of 2") {
            try model.forward(TokenBatch(batch: 2, length: 2, ids: [1, 2, 3, 4]), training: false)
            _ = try model.backward(labels: [0])
        }
        Fixtures.expectError("heads") { try model.activate(layers: 1, heads: [3], intermediate: [4]) }
        Fixtures.expectError("2 layers") { try model.activate(layers: 3, heads: [1, 1, 1], intermediate: [4, 4, 4]) }
        var bad = Self.tiny
        bad.heads = 3
        Fixtures.expectError("do not divide") { _ = try BertClassifier(configuration: bad, maxBatch: 1, maxLength: 5) }
    }

    /// Training FLOPs of a MiniLM step of 32 x 64: 6 x 10,616,832 matrix parameters x 2,048
    /// tokens, the pooler and classifier per sequence, and 12·L·B·S²·H of attention.
    @Test func trainingFlops() {
        let flops = BertClassifier.trainingFlops(.miniLML6H384, batch: 32, length: 64)
        let matrices: Double = 6 * 10_616_832 * 2048
        let head: Double = 6 * (384 * 384 + 384 * 2) * 32
        let attention: Double = 12 * 6 * 32 * 64 * 64 * 384
        let expected = matrices + head + attention
        #expect(abs(flops - expected) <= 1e-12 * expected)
        #expect(abs(flops / 1e9 - 134.1) < 0.1)
    }
}
