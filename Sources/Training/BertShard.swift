import Kernels
import Support

/// The ops of a `BertClassifier` for one shard of a batch (a contiguous run of its sequences):
/// embeddings, encoder layers, pooler, dropout and classifier on the model's weights, with
/// activations of their own and, in every shard but the first, gradients of their own, which
/// the model adds into the first shard's after the backward. The shards of a model run at the
/// same time, one per thread, each with its own products: data parallelism over the batch.
///
/// Dropout indices are those of the whole batch (`firstSequence`), so a batch draws the same
/// masks however it is cut. The last active layer runs for the first tokens alone (all the
/// pooler reads), which skips most of its work and none of the gradients.
final class BertShard {
    let embeddings: EmbeddingsOp
    let layers: [EncoderLayerOp]
    let pooler: PoolerOp
    let classifierDropout: DropoutOp
    let classifier: LinearOp
    let mask: KeyMask
    let maxBatch: Int
    let hidden: Int
    let labels: Int

    let pooledDropped: Tensor
    let logitGradient: Tensor
    /// The last layer's output gradient, [maxBatch, hidden]: first tokens only.
    let firstTokenGradient: Tensor
    /// The gradient carried down through the layers, [maxBatch·maxLength, hidden].
    let stateGradient: Tensor
    private let labelBuffer: UnsafeMutablePointer<Int32>
    private(set) var batch = 0
    private(set) var length = 0
    private(set) var firstSequence = 0
    private var activeLayers = 0
    private var logits: UnsafeMutablePointer<Float>?

    /// Ops for `maxBatch` sequences of at most `maxLength` tokens on the tensors `tensor(name)`
    /// gives (the model's values; gradients where this shard's go).
    init(configuration c: BertConfiguration, tensor: (String) -> ParameterTensor, maxBatch: Int, maxLength: Int) {
        self.maxBatch = maxBatch
        hidden = c.hiddenSize
        labels = c.labels
        let tokens = maxBatch * maxLength
        func norm(_ prefix: String) -> LayerNormOp {
            LayerNormOp(gamma: tensor(prefix + ".weight"), beta: tensor(prefix + ".bias"), epsilon: c.layerNormEpsilon, maxRows: tokens)
        }
        func linear(_ prefix: String) -> LinearOp {
            LinearOp(weight: tensor(prefix + ".weight"), bias: tensor(prefix + ".bias"))
        }
        embeddings = EmbeddingsOp(
            words: tensor("bert.embeddings.word_embeddings.weight"),
            positions: tensor("bert.embeddings.position_embeddings.weight"),
            tokenTypes: tensor("bert.embeddings.token_type_embeddings.weight"),
            norm: norm("bert.embeddings.LayerNorm"), dropout: c.hiddenDropout, paddingIndex: c.paddingTokenID,
            maxTokens: tokens)
        layers = (0..<c.layers).map { l in
            let prefix = "bert.encoder.layer.\(l)."
            let attention = SelfAttentionOp(
                query: linear(prefix + "attention.self.query"), key: linear(prefix + "attention.self.key"),
                value: linear(prefix + "attention.self.value"), output: linear(prefix + "attention.output.dense"),
                heads: c.heads, dropout: c.attentionDropout, maxBatch: maxBatch, maxLength: maxLength)
            return EncoderLayerOp(
                attention: attention, attentionNorm: norm(prefix + "attention.output.LayerNorm"),
                intermediate: linear(prefix + "intermediate.dense"), output: linear(prefix + "output.dense"),
                outputNorm: norm(prefix + "output.LayerNorm"), dropout: c.hiddenDropout)
        }
        pooler = PoolerOp(dense: linear("bert.pooler.dense"), maxBatch: maxBatch)
        classifierDropout = DropoutOp(probability: c.hiddenDropout)
        classifier = linear("classifier")
        mask = KeyMask(maxBatch: maxBatch, maxLength: maxLength)
        pooledDropped = Tensor(shape: [maxBatch, c.hiddenSize])
        logitGradient = Tensor(shape: [maxBatch, c.labels])
        firstTokenGradient = Tensor(shape: [maxBatch, c.hiddenSize])
        stateGradient = Tensor(shape: [tokens, c.hiddenSize])
        labelBuffer = .allocate(capacity: maxBatch)
    }

    deinit {
        labelBuffer.deallocate()
    }

    /// Takes `sequences` of `input` as this shard's batch (none: the shard sits the step out)
    /// and reads their attention mask. Runs on the caller's thread, before the shards start.
    func prepare(_ input: TokenBatch, sequences: Range<Int>) throws(HwnasError) {
        batch = sequences.count
        length = input.length
        firstSequence = sequences.lowerBound
        guard batch > 0 else { return }
        let tokens = (sequences.lowerBound * length)..<(sequences.upperBound * length)
        try mask.update(input.attentionMask[tokens], batch: batch, length: length)
    }

    /// The forward of the prepared sequences through the first `activeLayers` layers; writes
    /// their logits at `logits` ([batch, labels], the shard's rows of the model's buffer).
    /// `key(site)` is the dropout key of a site (nil: no dropout).
    func forward(_ input: TokenBatch, activeLayers: Int, logits: UnsafeMutablePointer<Float>, key: (DropoutSite) -> UInt64?) {
        self.activeLayers = activeLayers
        self.logits = logits
        guard batch > 0 else { return }
        let tokens = (firstSequence * length)..<((firstSequence + batch) * length)
        embeddings.forward(
            ids: input.ids[tokens], tokenTypes: input.tokenTypes[tokens], batch: batch, length: length,
            key: key(.embeddings), firstSequence: firstSequence)
        var states = UnsafePointer(embeddings.result.pointer)
        for l in 0..<activeLayers {
            var keys: (attention: UInt64, attentionOutput: UInt64, output: UInt64)?
            if let attention = key(.attentionProbabilities(layer: l)), let output = key(.attentionOutput(layer: l)),
               let feedForward = key(.feedForwardOutput(layer: l)) {
                keys = (attention, output, feedForward)
            }
            layers[l].forward(
                states, batch: batch, length: length, mask: mask, keys: keys, firstSequence: firstSequence,
                firstTokenOnly: l == activeLayers - 1)
            states = UnsafePointer(layers[l].result.pointer)
        }
        // The last layer's result holds the first tokens alone, one row each.
        pooler.forward(firstTokens: states, stride: hidden, batch: batch)
        classifierDropout.forward(
            pooler.result.pointer, into: pooledDropped.pointer, count: batch * hidden, key: key(.classifier),
            first: firstSequence * hidden)
        classifier.forward(pooledDropped.pointer, rows: batch, into: logits)
    }

    /// The summed cross-entropy of the shard's sequences against their `labels` (the whole
    /// batch's, of `batchSize` sequences), whose mean over the batch's loss gradient it adds to
    /// the shard's parameter gradients.
    func backward(labels: [Int32], batchSize: Int) -> Double {
        guard batch > 0, let logits else { return 0 }
        for i in 0..<batch { labelBuffer[i] = labels[firstSequence + i] }
        let loss = SoftmaxCrossEntropy.lossSum(
            logits: logits, labels: labelBuffer, rows: batch, classes: self.labels, batch: batchSize,
            gradient: logitGradient.pointer)
        propagate()
        return loss
    }

    /// Adds to the shard's parameter gradients the backward from `gradient`, the gradient of
    /// some loss with respect to the shard's logits ([batch, labels]).
    func backward(logitGradient gradient: UnsafePointer<Float>) {
        guard batch > 0 else { return }
        logitGradient.pointer.update(from: gradient, count: batch * labels)
        propagate()
    }

    /// The backward from `logitGradient` down to the embeddings.
    private func propagate() {
        // The classifier reads its input for the weight gradient before writing the input's
        // gradient over it.
        classifier.backward(logitGradient.pointer, into: pooledDropped.pointer)
        classifierDropout.backward(pooledDropped.pointer, into: pooledDropped.pointer)
        pooler.backward(pooledDropped.pointer, into: firstTokenGradient.pointer)
        let last = activeLayers - 1
        layers[last].backward(firstTokenGradient.pointer, into: stateGradient.pointer)
        for l in (0..<last).reversed() {
            layers[l].backward(stateGradient.pointer)
        }
        embeddings.backward(stateGradient.pointer)
    }
}
