import Datasets
import Foundation
import Support
import Training

/// A pre-trained BERT folder read for fine-tuning: its configuration, its vocabulary, and its
/// weights copied into a `BertClassifier` by name.
///
/// Checkpoints of a bare encoder (sentence-transformers', this model's) name tensors without
/// the `bert.` prefix and have no classifier; BertForSequenceClassification checkpoints (hwnas's
/// own) have both. Either loads: each parameter is looked up under its full name, then without
/// `bert.`; a classifier absent from the file keeps the initialisation drawn from the seed, as
/// Hugging Face initialises a new head. Tensors the model does not use (`position_ids`) are
/// ignored; a missing tensor or one of the wrong shape is refused by name.
public struct PretrainedModel: Sendable {
    public let folder: ModelFolder
    public let configuration: BertConfiguration

    /// Checks that the folder holds weights, vocabulary and configuration, and reads the latter.
    public init(folder: ModelFolder, dropout: Float) throws {
        self.folder = folder
        _ = try folder.weights()
        _ = try folder.vocabulary()
        let url = try folder.configuration()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file: ConfigurationFile
        do {
            file = try decoder.decode(ConfigurationFile.self, from: Data(contentsOf: url))
        } catch {
            throw HwnasError("\(url.relativePath) is not a BERT configuration: \(error)")
        }
        var c = BertConfiguration(
            vocabularySize: file.vocabSize, hiddenSize: file.hiddenSize, layers: file.numHiddenLayers,
            heads: file.numAttentionHeads, intermediateSize: file.intermediateSize,
            maxPositions: file.maxPositionEmbeddings ?? 512, typeVocabularySize: file.typeVocabSize ?? 2)
        if let epsilon = file.layerNormEps { c.layerNormEpsilon = Float(epsilon) }
        if let range = file.initializerRange { c.initializerRange = Float(range) }
        c.paddingTokenID = file.padTokenId
        if let act = file.hiddenAct, act != "gelu" {
            throw HwnasError("\(url.relativePath): hidden_act \(act); only gelu (erf form) is implemented")
        }
        c.hiddenDropout = dropout
        c.attentionDropout = dropout
        try c.validate()
        configuration = c
    }

    /// Copies the folder's weights into `model` (already initialised from the seed).
    public func load(into model: BertClassifier) throws {
        try Self.load(try SafeTensors(contentsOf: folder.weights()), into: model, requireClassifier: false)
    }

    /// Copies `file`'s tensors into `model` by name; with `requireClassifier` the classifier
    /// must be there too (a checkpoint being resumed).
    public static func load(_ file: SafeTensors, into model: BertClassifier, requireClassifier: Bool) throws {
        for tensor in model.parameters.tensors {
            let bare = tensor.name.hasPrefix("bert.") ? String(tensor.name.dropFirst(5)) : tensor.name
            let name: String
            if file.tensors[tensor.name] != nil {
                name = tensor.name
            } else if file.tensors[bare] != nil {
                name = bare
            } else if tensor.name.hasPrefix("classifier.") && !requireClassifier {
                continue
            } else {
                throw HwnasError("\(file.source) has no tensor \(bare) (nor \(tensor.name)), shape [\(tensor.shape.map(String.init).joined(separator: ", "))] expected")
            }
            let values = try file.floats(name, shape: tensor.shape)
            values.withUnsafeBufferPointer { tensor.value.update(from: $0.baseAddress!, count: tensor.count) }
        }
    }

    /// The fields of Hugging Face's `config.json` read here (snake case in the file).
    struct ConfigurationFile: Decodable {
        var vocabSize: Int
        var hiddenSize: Int
        var numHiddenLayers: Int
        var numAttentionHeads: Int
        var intermediateSize: Int
        var maxPositionEmbeddings: Int?
        var typeVocabSize: Int?
        var layerNormEps: Double?
        var initializerRange: Double?
        var padTokenId: Int?
        var hiddenAct: String?
    }
}
