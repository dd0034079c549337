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

    /// The logits of each example ([classes] per example) from the same sub-network, in the
    /// same batches as `accuracy` (the classifier's batch size, each padded to its longest).
    public func logits(on examples: [LabelledText], layers: Int, heads: [Int], intermediate: [Int]) throws -> [[Float]] {
        try classifier.activate(layers: layers, heads: heads, intermediate: intermediate)
        defer { classifier.activateAll() }
        let sequences = examples.map { tokenizer.encode($0.text, maxLength: maxLength).ids }
        let classes = classifier.configuration.labels
        var result: [[Float]] = []
        var start = 0
        while start < sequences.count {
            let end = min(start + classifier.maxBatch, sequences.count)
            let input = try FineTuneRun.tokenBatch(Array(sequences[start..<end]), labels: examples[start..<end].map(\.label),
                                                   paddingID: tokenizer.paddingID)
            let logits = try classifier.forward(input, training: false)
            for row in 0..<input.batch { result.append(Array(logits[row * classes..<(row + 1) * classes])) }
            start = end
        }
        return result
    }
}
