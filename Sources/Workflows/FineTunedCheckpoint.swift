import Datasets
import Foundation
import Support
import Training

/// A fine-tuned run folder read back for evaluation: its classifier (every tensor, the head
/// included) and its tokenizer, ready to measure a sub-network's accuracy on a split.
public final class FineTunedCheckpoint {
    public let folder: URL
    public let classifier: BertClassifier
    public let tokenizer: WordPieceTokenizer
    public let maxLength: Int

    /// Reads `folder` (model.safetensors with Hugging Face's classifier names, config.json,
    /// vocab.txt); the sequence length is the run's (state.json), else `maxLength`.
    public init(folder: URL, batchSize: Int = 32, maxLength: Int = 64) throws {
        self.folder = folder
        let model = ModelFolder(url: folder)
        let pretrained = try PretrainedModel(folder: model, dropout: 0)
        let stateURL = folder.appendingPathComponent("state.json")
        var length = maxLength
        if FileManager.default.fileExists(atPath: stateURL.path) {
            let state = try JSONFormat.decodeFile(
                FineTuneRecord.State.self, from: stateURL, kind: "fine-tuning state", schemaVersion: FineTuneRecord.State.schemaVersion)
            length = state.settings.maxLength
        }
        self.maxLength = length
        classifier = try BertClassifier(configuration: pretrained.configuration, maxBatch: batchSize, maxLength: length)
        try PretrainedModel.load(SafeTensors(contentsOf: model.weights()), into: classifier, requireClassifier: true)
        tokenizer = try WordPieceTokenizer(vocabularyFile: model.vocabulary())
    }

    /// Accuracy in percent on `examples` of the sub-network that runs the first `layers` layers
    /// with the given heads and intermediate units per layer.
    public func accuracy(on examples: [LabelledText], layers: Int, heads: [Int], intermediate: [Int]) throws -> Double {
        try classifier.activate(layers: layers, heads: heads, intermediate: intermediate)
        defer { classifier.activateAll() }
        let sequences = examples.map { tokenizer.encode($0.text, maxLength: maxLength).ids }
        return try FineTuneRun.evaluate(classifier, sequences: sequences, labels: examples.map(\.label), paddingID: tokenizer.paddingID).accuracy
    }
}
