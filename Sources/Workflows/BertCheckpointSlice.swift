import Datasets
import Foundation
import Onnx
import Support
import SuperNet
import Training

/// A fine-tuned BERT checkpoint (a `hwnas finetune` run folder: model.safetensors with Hugging
/// Face's BertForSequenceClassification names, config.json) cut to the blocks of a sub-network
/// as training runs it: the first layers; in each, the first h heads (the first h·d rows of
/// the Q, K, V weights and biases, the first h·d columns of the output projection) and the
/// first intermediate units (rows of the intermediate layer, columns of the output layer).
///
/// The slices come out in the kernels' layouts (`BlockParameters`), so the ONNX builders and
/// the safetensors writer take them as they take the native runtime's seeded weights.
public struct BertCheckpointSlice {
    public let folder: URL
    public let configuration: BertConfiguration
    /// SHA-256 of model.safetensors, lower-case hex.
    public let sha256: String
    /// The space the run folder says it fine-tuned (run.json), when it says.
    public let space: String?
    private let file: SafeTensors
    /// Rows of the classifier's weight.
    public let labels: Int

    /// Reads `folder`; throws naming the folder or file when something is missing or unreadable.
    public init(folder: URL) throws {
        self.folder = folder
        let model = ModelFolder(url: folder)
        configuration = try PretrainedModel(folder: model, dropout: 0).configuration
        let weights = try model.weights()
        let bytes: Data
        do { bytes = try Data(contentsOf: weights, options: .alwaysMapped) } catch {
            throw HwnasError("cannot read \(weights.relativePath): \(error.localizedDescription)")
        }
        sha256 = SHA256.hex(bytes)
        file = try SafeTensors(data: bytes, source: weights.relativePath)
        let runURL = folder.appendingPathComponent("run.json")
        if FileManager.default.fileExists(atPath: runURL.path) {
            space = try JSONFormat.decodeFile(FineTuneRecord.Run.self, from: runURL, kind: "fine-tuning run",
                                              schemaVersion: FineTuneRecord.Run.schemaVersion).space
        } else {
            space = nil
        }
        guard file.tensors["classifier.weight"] != nil else {
            throw HwnasError("\(weights.relativePath) has no classifier (tensor 'classifier.weight'): it is a pre-trained encoder, not a fine-tuned checkpoint; fine-tune it first (`hwnas finetune`)")
        }
        labels = try file.info("classifier.weight").shape.first ?? 0
    }

    /// The parameters of each block of a sub-network of `space` (its `blocks(of:)`, in order).
    /// Throws when the checkpoint is of another space or shape, naming both.
    public func parameters(for blocks: [Block], space: any SearchSpace) throws -> [BlockParameters] {
        if let trained = self.space, trained != space.name {
            throw HwnasError("\(folder.relativePath) is a checkpoint of \(trained) (run.json), not of \(space.name)")
        }
        let c = configuration
        let shape = "hidden \(c.hiddenSize), \(c.layers) layers of \(c.heads) heads of \(c.headDimension) and \(c.intermediateSize) intermediate units, vocabulary \(c.vocabularySize), \(c.maxPositions) positions, \(labels) labels, layer-norm epsilon \(c.layerNormEpsilon)"
        func refuse(_ need: String) -> HwnasError {
            HwnasError("\(folder.relativePath) holds a BERT of \(shape); this \(space.name) sub-network needs \(need)")
        }
        var layer = 0
        var result: [BlockParameters] = []
        for block in blocks {
            switch block {
            case .embedding(let b):
                guard b.hidden == c.hiddenSize, b.vocabulary == c.vocabularySize, b.positions == c.maxPositions,
                      b.tokenTypes == c.typeVocabularySize, b.normEpsilon == c.layerNormEpsilon else {
                    throw refuse("hidden \(b.hidden), vocabulary \(b.vocabulary), \(b.positions) positions, \(b.tokenTypes) token types, layer-norm epsilon \(b.normEpsilon)")
                }
                result.append(BlockParameters(block: block, tensors: [
                    "words": try matrix("embeddings.word_embeddings.weight", [c.vocabularySize, c.hiddenSize]),
                    "positions": try matrix("embeddings.position_embeddings.weight", [c.maxPositions, c.hiddenSize]),
                    "types": try matrix("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, c.hiddenSize]),
                    "norm.weight": try vector("embeddings.LayerNorm.weight", c.hiddenSize),
                    "norm.bias": try vector("embeddings.LayerNorm.bias", c.hiddenSize),
                ]))
            case .attention(let b):
                guard b.norm == .post, b.hidden == c.hiddenSize, b.headDim == c.headDimension, b.heads <= c.heads, layer < c.layers else {
                    throw refuse("layer \(layer) with \(b.heads) heads of \(b.headDim) on hidden \(b.hidden)")
                }
                let prefix = "encoder.layer.\(layer).attention."
                let inner = b.inner
                let projections = try ["query", "key", "value"].map { name in
                    try matrix(prefix + "self.\(name).weight", [c.hiddenSize, c.hiddenSize]).rows(0..<inner).transposed()
                }
                let biases = try ["query", "key", "value"].map { name in
                    try vector(prefix + "self.\(name).bias", c.hiddenSize).rows(0..<inner)
                }
                result.append(BlockParameters(block: block, tensors: [
                    "attention.qkv.weight": PlainTensor.concatenatingColumns(projections),
                    "attention.qkv.bias": PlainTensor.concatenatingRows(biases),
                    "attention.output.weight": try matrix(prefix + "output.dense.weight", [c.hiddenSize, c.hiddenSize]).columns(0..<inner).transposed(),
                    "attention.output.bias": try vector(prefix + "output.dense.bias", c.hiddenSize),
                    "norm.weight": try vector(prefix + "output.LayerNorm.weight", c.hiddenSize),
                    "norm.bias": try vector(prefix + "output.LayerNorm.bias", c.hiddenSize),
                ]))
            case .feedForward(let b):
                guard b.norm == .post, b.hidden == c.hiddenSize, b.intermediate <= c.intermediateSize, layer < c.layers else {
                    throw refuse("layer \(layer) with \(b.intermediate) intermediate units on hidden \(b.hidden)")
                }
                let prefix = "encoder.layer.\(layer)."
                let units = 0..<b.intermediate
                result.append(BlockParameters(block: block, tensors: [
                    "up.weight": try matrix(prefix + "intermediate.dense.weight", [c.intermediateSize, c.hiddenSize]).rows(units).transposed(),
                    "up.bias": try vector(prefix + "intermediate.dense.bias", c.intermediateSize).rows(units),
                    "down.weight": try matrix(prefix + "output.dense.weight", [c.hiddenSize, c.intermediateSize]).columns(units).transposed(),
                    "down.bias": try vector(prefix + "output.dense.bias", c.hiddenSize),
                    "norm.weight": try vector(prefix + "output.LayerNorm.weight", c.hiddenSize),
                    "norm.bias": try vector(prefix + "output.LayerNorm.bias", c.hiddenSize),
                ]))
                layer += 1
            case .pooler(let b):
                guard b.hidden == c.hiddenSize else { throw refuse("a pooler of hidden \(b.hidden)") }
                result.append(BlockParameters(block: block, tensors: [
                    "dense.weight": try matrix("pooler.dense.weight", [c.hiddenSize, c.hiddenSize]).transposed(),
                    "dense.bias": try vector("pooler.dense.bias", c.hiddenSize),
                ]))
            case .classifier(let b):
                guard b.inputs == c.hiddenSize, b.classes == labels, b.sequenceBeforeNorm == nil else {
                    throw refuse("a classifier of \(b.inputs) inputs and \(b.classes) classes")
                }
                result.append(BlockParameters(block: block, tensors: [
                    "dense.weight": try matrix("classifier.weight", [labels, c.hiddenSize]).transposed(),
                    "dense.bias": try vector("classifier.bias", labels),
                ]))
            default:
                throw HwnasError("--checkpoint: a fine-tuned BERT has no \(block.kind) block; \(space.name) sub-networks are exported with seeded weights only")
            }
        }
        return result
    }

    /// A tensor by its Hugging Face name, with or without the `bert.` prefix.
    private func matrix(_ bare: String, _ shape: [Int]) throws -> PlainTensor {
        let name = file.tensors["bert." + bare] != nil ? "bert." + bare : bare
        return try PlainTensor(shape: shape, values: try file.floats(name, shape: shape))
    }

    private func vector(_ bare: String, _ count: Int) throws -> PlainTensor {
        try matrix(bare, [count])
    }
}
