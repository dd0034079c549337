import Foundation
import Kernels
import Support

/// A BERT encoder for sequence classification (Hugging Face's BertForSequenceClassification):
/// embeddings, post-layer-norm encoder layers, tanh pooler on [CLS], dropout, linear classifier,
/// softmax cross-entropy; forward and backward on every parameter.
///
/// Parameters live in one `ParameterStore` under Hugging Face's names, so a checkpoint maps
/// onto `parameters.namedValues` one to one. Every buffer of a step is allocated here for
/// `maxBatch` sequences of at most `maxLength` tokens; a step allocates nothing. Elastic: the
/// first `activeLayers` layers run, each with its own active heads and intermediate units
/// (`activate(layers:heads:intermediate:)`); slices are views of the full weights.
///
/// With a `WorkerTeam` of T threads the batch is cut into T shards of consecutive sequences
/// (`BertShard`), each run by its own thread from embeddings to loss with single-threaded
/// products; the shards' gradients are then summed in shard order, so a step at a given team
/// size is deterministic. Without a team one shard runs on the caller's thread.
public final class BertClassifier {
    public let configuration: BertConfiguration
    public let parameters: ParameterStore
    public let maxBatch: Int
    public let maxLength: Int
    /// Runs the shards; nil: one shard on the calling thread.
    public let team: WorkerTeam?
    /// The first shard's ops (every shard runs the same weights and sub-network).
    public var embeddings: EmbeddingsOp { shards[0].embeddings }
    public var layers: [EncoderLayerOp] { shards[0].layers }
    public var pooler: PoolerOp { shards[0].pooler }
    public var classifier: LinearOp { shards[0].classifier }
    /// Seeds every dropout mask of a run (with the step and the site).
    public var dropoutSeed: UInt64
    /// Layers that run (the first ones), 1 ... configuration.layers.
    public private(set) var activeLayers: Int

    let shards: [BertShard]
    /// Gradient blocks of the shards after the first, laid out as `parameters.gradients`.
    private let shardGradients: [UnsafeMutablePointer<Float>]
    let logitValues: Tensor
    /// Gradients `zeroGradients()` clears in full (all but the word table).
    private let denseGradients: [ParameterTensor]
    private var batch = 0, length = 0
    private var awaitingBackward = false

    /// A model with Hugging Face's initialisation from `seed` (weights and embeddings normal
    /// with standard deviation `initializerRange`, biases 0, LayerNorm gamma 1 and beta 0, the
    /// padding row 0), sized for `maxBatch` x `maxLength`, cut into as many shards as `team`
    /// has threads.
    public init(
        configuration: BertConfiguration, maxBatch: Int, maxLength: Int, seed: UInt64 = 0, team: WorkerTeam? = nil
    ) throws(HwnasError) {
        try configuration.validate()
        guard maxBatch > 0, maxLength > 0, maxLength <= configuration.maxPositions else {
            throw HwnasError("BERT classifier: batch \(maxBatch) x length \(maxLength) must be positive, the length at most maxPositions \(configuration.maxPositions)")
        }
        self.configuration = configuration
        self.maxBatch = maxBatch
        self.maxLength = maxLength
        self.team = team
        dropoutSeed = seed
        activeLayers = configuration.layers
        let store = try ParameterStore(Self.parameterLayout(configuration))
        parameters = store
        let count = team?.size ?? 1
        let shardBatch = WorkerTeam.range(0, of: count, count: maxBatch).count
        var blocks: [UnsafeMutablePointer<Float>] = []
        var shards: [BertShard] = []
        for shard in 0..<count {
            var gradients = store.gradients
            if shard > 0 {
                gradients = ParameterStore.allocate(store.capacity)
                blocks.append(gradients)
            }
            shards.append(BertShard(
                configuration: configuration,
                tensor: { name in
                    let t = store[name]!
                    return ParameterTensor(name: t.name, shape: t.shape, offset: t.offset, value: t.value, gradient: gradients + t.offset)
                },
                maxBatch: shardBatch, maxLength: maxLength))
        }
        self.shards = shards
        shardGradients = blocks
        logitValues = Tensor(shape: [maxBatch, configuration.labels])
        denseGradients = store.tensors.filter { $0.name != "bert.embeddings.word_embeddings.weight" }
        initializeWeights(seed: seed)
    }

    deinit {
        for block in shardGradients { UnsafeMutableRawPointer(block).deallocate() }
    }

    /// Names and shapes of every parameter, in the order of Hugging Face's state dict.
    public static func parameterLayout(_ c: BertConfiguration) -> [(name: String, shape: [Int])] {
        let h = c.hiddenSize
        var layout: [(name: String, shape: [Int])] = [
            ("bert.embeddings.word_embeddings.weight", [c.vocabularySize, h]),
            ("bert.embeddings.position_embeddings.weight", [c.maxPositions, h]),
            ("bert.embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h]),
            ("bert.embeddings.LayerNorm.weight", [h]),
            ("bert.embeddings.LayerNorm.bias", [h]),
        ]
        for l in 0..<c.layers {
            let prefix = "bert.encoder.layer.\(l)."
            for projection in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                layout.append((prefix + projection + ".weight", [h, h]))
                layout.append((prefix + projection + ".bias", [h]))
            }
            layout.append((prefix + "attention.output.LayerNorm.weight", [h]))
            layout.append((prefix + "attention.output.LayerNorm.bias", [h]))
            layout.append((prefix + "intermediate.dense.weight", [c.intermediateSize, h]))
            layout.append((prefix + "intermediate.dense.bias", [c.intermediateSize]))
            layout.append((prefix + "output.dense.weight", [h, c.intermediateSize]))
            layout.append((prefix + "output.dense.bias", [h]))
            layout.append((prefix + "output.LayerNorm.weight", [h]))
            layout.append((prefix + "output.LayerNorm.bias", [h]))
        }
        layout.append(("bert.pooler.dense.weight", [h, h]))
        layout.append(("bert.pooler.dense.bias", [h]))
        layout.append(("classifier.weight", [c.labels, h]))
        layout.append(("classifier.bias", [c.labels]))
        return layout
    }

    /// Hugging Face's initialisation (`BertPreTrainedModel._init_weights`) from `seed`.
    public func initializeWeights(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let deviation = Double(configuration.initializerRange)
        for tensor in parameters.tensors {
            if tensor.name.hasSuffix(".bias") {
                tensor.value.update(repeating: 0, count: tensor.count)
            } else if tensor.name.hasSuffix("LayerNorm.weight") {
                tensor.value.update(repeating: 1, count: tensor.count)
            } else {
                var i = 0
                while i < tensor.count {
                    // Box-Muller: two normals from two uniforms in (0, 1].
                    let u1 = (Double(generator.next() >> 11) + 1) / 9_007_199_254_740_992
                    let u2 = Double(generator.next() >> 11) / 9_007_199_254_740_992
                    let radius = deviation * (-2 * Foundation.log(u1)).squareRoot()
                    tensor.value[i] = Float(radius * Foundation.cos(2 * Double.pi * u2))
                    if i + 1 < tensor.count { tensor.value[i + 1] = Float(radius * Foundation.sin(2 * Double.pi * u2)) }
                    i += 2
                }
            }
        }
        if let padding = configuration.paddingTokenID {
            let words = parameters["bert.embeddings.word_embeddings.weight"]!
            (words.value + padding * words.columns).update(repeating: 0, count: words.columns)
        }
    }

    /// Runs the first `layers` layers, layer i with its first `heads[i]` heads and
    /// `intermediate[i]` intermediate units (one value per active layer).
    public func activate(layers count: Int, heads: [Int], intermediate: [Int]) throws(HwnasError) {
        guard (1...configuration.layers).contains(count), heads.count == count, intermediate.count == count else {
            throw HwnasError("sub-network: \(count) layers with \(heads.count) head counts and \(intermediate.count) intermediate sizes; the model has \(configuration.layers) layers")
        }
        for l in 0..<count {
            guard (1...configuration.heads).contains(heads[l]) else {
                throw HwnasError("sub-network: layer \(l) has \(heads[l]) heads, the model 1 to \(configuration.heads)")
            }
            guard (1...configuration.intermediateSize).contains(intermediate[l]) else {
                throw HwnasError("sub-network: layer \(l) has intermediate size \(intermediate[l]), the model 1 to \(configuration.intermediateSize)")
            }
        }
        activeLayers = count
        for shard in shards {
            for l in 0..<count {
                shard.layers[l].attention.heads = heads[l]
                shard.layers[l].intermediateSize = intermediate[l]
            }
        }
    }

    /// The whole network active.
    public func activateAll() {
        activeLayers = configuration.layers
        for shard in shards {
            for layer in shard.layers {
                layer.attention.heads = configuration.heads
                layer.intermediateSize = configuration.intermediateSize
            }
        }
    }

    /// The mask key of a dropout site at `step`.
    public func dropoutKey(_ site: DropoutSite, step: Int) -> UInt64 {
        DropoutMask.key(seed: dropoutSeed, step: UInt64(truncatingIfNeeded: step), site: site.index)
    }

    /// Runs `body(shard)` for every shard, on the team's threads when there is a team.
    private func eachShard(_ body: (Int) -> Void) {
        if let team { team.run(body) } else { body(0) }
    }

    /// The logits [batch, labels] of `input`; with `training`, dropout is on with the masks of
    /// `step`. Keeps what `backward(labels:)` needs. The buffer is valid until the next forward.
    @discardableResult
    public func forward(_ input: TokenBatch, training: Bool, step: Int = 0) throws(HwnasError) -> UnsafeBufferPointer<Float> {
        try check(input)
        for (index, shard) in shards.enumerated() {
            try shard.prepare(input, sequences: WorkerTeam.range(index, of: shards.count, count: input.batch))
        }
        batch = input.batch
        length = input.length
        let active = activeLayers
        let key: (DropoutSite) -> UInt64? = { [self] site in training ? dropoutKey(site, step: step) : nil }
        eachShard { index in
            let shard = shards[index]
            shard.forward(input, activeLayers: active, logits: logitValues.pointer + shard.firstSequence * configuration.labels, key: key)
        }
        awaitingBackward = true
        return UnsafeBufferPointer(start: logitValues.pointer, count: batch * configuration.labels)
    }

    /// The mean cross-entropy of the last forward's logits against `labels` (one per
    /// sequence); adds the gradient of that loss to every parameter's gradient.
    @discardableResult
    public func backward(labels: [Int32]) throws(HwnasError) -> Float {
        guard awaitingBackward else { throw HwnasError("BERT classifier: backward without a forward before it") }
        guard labels.count == batch else { throw HwnasError("BERT classifier: \(labels.count) labels for a batch of \(batch)") }
        for (i, label) in labels.enumerated() where !(0..<Int32(configuration.labels)).contains(label) {
            throw HwnasError("BERT classifier: label \(label) of sequence \(i) is not in 0..<\(configuration.labels)")
        }
        awaitingBackward = false
        let batchSize = batch
        var losses = [Double](repeating: 0, count: shards.count)
        losses.withUnsafeMutableBufferPointer { losses in
            eachShard { index in losses[index] = shards[index].backward(labels: labels, batchSize: batchSize) }
        }
        if shards.count > 1 { sumShardGradients() }
        return Float(losses.reduce(0, +) / Double(batchSize))
    }

    /// Adds to every parameter's gradient the backward of the last forward from `gradient`, the
    /// gradient of some loss with respect to its logits ([batch, labels]): for losses other than
    /// the cross-entropy on labels (InstaTune's, with its distillation term).
    public func backward(logitGradient gradient: UnsafePointer<Float>) throws(HwnasError) {
        guard awaitingBackward else { throw HwnasError("BERT classifier: backward without a forward before it") }
        awaitingBackward = false
        eachShard { index in
            let shard = shards[index]
            shard.backward(logitGradient: gradient + shard.firstSequence * configuration.labels)
        }
        if shards.count > 1 { sumShardGradients() }
    }

    /// Adds every later shard's gradients into the first shard's (the parameters'), in shard
    /// order, and zeroes them there: dense tensors split evenly over the team, the word
    /// table's touched rows on the first thread.
    private func sumShardGradients() {
        let parts = shards.count
        eachShard { index in
            if index == 0 {
                for shard in shards.dropFirst() { shards[0].embeddings.absorbWordGradients(of: shard.embeddings) }
            }
            for tensor in denseGradients {
                let range = WorkerTeam.range(index, of: parts, count: tensor.count)
                guard !range.isEmpty else { continue }
                let target = tensor.gradient + range.lowerBound
                for block in shardGradients {
                    let source = block + tensor.offset + range.lowerBound
                    Elementwise.add(source, into: target, count: range.count)
                    source.update(repeating: 0, count: range.count)
                }
            }
        }
    }

    /// Forward with dropout at `step`, then backward on the batch's labels: the loss, with its
    /// gradient added to the parameters' gradients.
    public func forwardBackward(_ input: TokenBatch, step: Int, training: Bool = true) throws(HwnasError) -> Float {
        try forward(input, training: training, step: step)
        return try backward(labels: input.labels)
    }

    /// Sets every gradient to zero (the word table only where batches touched it).
    public func zeroGradients() {
        let parts = shards.count
        eachShard { index in
            if index == 0 { shards[0].embeddings.zeroWordGradients() }
            for tensor in denseGradients {
                let range = WorkerTeam.range(index, of: parts, count: tensor.count)
                (tensor.gradient + range.lowerBound).update(repeating: 0, count: range.count)
            }
        }
    }

    /// Floating-point operations of one training step (forward and backward) on `batch`
    /// sequences of `length` tokens, the whole network: 6 x the encoder's matrix parameters x
    /// tokens, 6 x the pooler's and classifier's x sequences, and the attention products
    /// (Q·Kᵀ and P·V, 4·length²·hidden per sequence and layer forward, three times that in
    /// training). Embedding lookups, normalisations and activations are not counted. The
    /// count is the whole network's whatever a step skips (the last layer computes its first
    /// tokens alone and is still counted in full), so rates compare across implementations.
    public static func trainingFlops(_ c: BertConfiguration, batch: Int, length: Int) -> Double {
        let h = Double(c.hiddenSize), f = Double(c.intermediateSize), layers = Double(c.layers)
        let tokens = Double(batch * length)
        let encoderMatrices = layers * (4 * h * h + 2 * h * f)
        let headMatrices = h * h + h * Double(c.labels)
        let attention = 12 * layers * Double(batch) * Double(length * length) * h
        return 6 * encoderMatrices * tokens + 6 * headMatrices * Double(batch) + attention
    }

    private func check(_ input: TokenBatch) throws(HwnasError) {
        guard input.batch <= maxBatch, input.length <= maxLength else {
            throw HwnasError("BERT classifier: batch \(input.batch) x \(input.length) tokens; the model was sized for \(maxBatch) x \(maxLength)")
        }
        let vocabulary = Int32(configuration.vocabularySize), types = Int32(configuration.typeVocabularySize)
        for (i, id) in input.ids.enumerated() where id < 0 || id >= vocabulary {
            throw HwnasError("token batch: id \(id) at sequence \(i / input.length), position \(i % input.length) is outside the vocabulary of \(vocabulary)")
        }
        for (i, type) in input.tokenTypes.enumerated() where type < 0 || type >= types {
            throw HwnasError("token batch: token type \(type) at sequence \(i / input.length), position \(i % input.length) is not in 0..<\(types)")
        }
    }
}
