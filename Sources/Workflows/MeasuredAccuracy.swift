import Datasets
import Foundation
import Support
import SuperNet
import Training

/// Accuracy measured on a task's split by running a fine-tuned (super-)network's checkpoint as
/// each sub-network, cached per checkpoint (`AccuracyCache`): the measured objective of a
/// search, the loop's ground truth, and `hwnas evaluate --checkpoint`.
public final class MeasuredAccuracy: @unchecked Sendable {
    public let space: MiniLML6Space
    public let folder: URL
    public let task: String
    public let split: SST2Task.Split
    public let checkpoint: FineTunedCheckpoint
    public let cache: AccuracyCache
    public let examples: [LabelledText]
    private let sequences: [[Int]]
    /// Sub-networks measured (not found in the cache) by this object, and their seconds.
    public private(set) var measured = 0
    public private(set) var measuringSeconds = 0.0
    /// The first error of a measurement made as a search objective (which cannot throw).
    public private(set) var failure: Error?
    /// Hears each new measurement and how many this object made.
    public var measuredHook: ((AccuracyCache.Entry, Int) -> Void)?

    /// Reads the checkpoint and the split; throws when the checkpoint is of another space or
    /// shape, or its cache of another checkpoint.
    public init(checkpoint folder: URL, task: String = "sst2", split: SST2Task.Split, data: URL,
                space: MiniLML6Space = MiniLML6Space()) throws {
        guard task == "sst2" else { throw HwnasError("task '\(task)': measured accuracy knows sst2 only") }
        guard split != .train else { throw HwnasError("--split train: accuracy is measured on val (searching) or dev (reporting), never on the data trained on") }
        let stateURL = folder.appendingPathComponent("state.json")
        if FileManager.default.fileExists(atPath: stateURL.path) {
            let state = try JSONFormat.decodeFile(
                FineTuneRecord.State.self, from: stateURL, kind: "fine-tuning state", schemaVersion: FineTuneRecord.State.schemaVersion)
            guard state.settings.space == space.name else {
                throw HwnasError("\(folder.relativePath) is a checkpoint of space '\(state.settings.space)', not '\(space.name)'")
            }
        }
        let model = ModelFolder(url: folder)
        let configuration = try PretrainedModel(folder: model, dropout: 0).configuration
        try space.checkModel(configuration, source: folder.relativePath)
        examples = try SST2Task(folder: data).examples(split)
        guard !examples.isEmpty else { throw HwnasError("\(data.relativePath): the \(split.rawValue) split is empty") }
        let modelSha = try Self.sha256(of: model.weights())
        let dataHash = SHA256.hex(Data(examples.map { "\($0.label)\t\($0.text)\n" }.joined().utf8))
        let checkpoint = try FineTunedCheckpoint(folder: folder)
        let header = AccuracyCache.Header(
            schemaVersion: AccuracyCache.schemaVersion, kind: AccuracyCache.kind, space: space.name, task: task, split: split.rawValue,
            dataHash: "sha256:" + dataHash, examples: examples.count, maxLength: checkpoint.maxLength, modelSha256: modelSha,
            hwnasVersion: HwnasVersion.current, createdAt: Timestamp.now())
        cache = try AccuracyCache(checkpoint: folder, header: header)
        self.space = space
        self.folder = folder
        self.task = task
        self.split = split
        self.checkpoint = checkpoint
        sequences = examples.map { checkpoint.tokenizer.encode($0.text, maxLength: checkpoint.maxLength).ids }
    }

    static func sha256(of url: URL) throws -> String {
        guard let hex = SHA256.hex(ofFile: url) else { throw HwnasError("cannot read \(url.path)") }
        return hex
    }

    /// The identity of a sub-network in the cache.
    public func network(_ subnet: Subnet) -> String {
        space.canonicalGenome(of: subnet).map(String.init).joined(separator: ",")
    }

    /// The cached measurement of `subnet`, or a new one (appended to the cache).
    public func measure(_ subnet: Subnet) throws -> AccuracyCache.Entry {
        let key = network(subnet)
        if let entry = cache.entry(network: key) { return entry }
        let shape = space.subnetShape(of: subnet)
        let start = MonotonicClock.now()
        let correct = try classify(shape)
        let seconds = MonotonicClock.seconds(since: start)
        let right = correct.filter { $0 }.count
        let entry = AccuracyCache.Entry(
            network: key, subnet: space.dynastString(subnet), accuracy: 100 * Double(right) / Double(correct.count),
            correct: right, examples: correct.count, correctBits: AccuracyCache.Entry.bits(correct), seconds: seconds,
            measuredAt: Timestamp.now())
        try cache.append(entry)
        measured += 1
        measuringSeconds += seconds
        measuredHook?(entry, measured)
        return cache.entry(network: key) ?? entry
    }

    func keep(_ error: Error) {
        if failure == nil { failure = error }
    }

    /// Whether each example is classified right by `shape` (the first highest logit, as
    /// `FineTuneRun.evaluate` counts).
    func classify(_ shape: SubnetShape) throws -> [Bool] {
        let model = checkpoint.classifier
        try model.activate(shape)
        defer { model.activateAll() }
        let classes = model.configuration.labels
        let paddingID = checkpoint.tokenizer.paddingID
        var correct: [Bool] = []
        correct.reserveCapacity(sequences.count)
        var start = 0
        while start < sequences.count {
            let end = min(start + model.maxBatch, sequences.count)
            let labels = examples[start..<end].map(\.label)
            let input = try FineTuneRun.tokenBatch(Array(sequences[start..<end]), labels: labels, paddingID: paddingID)
            let logits = try model.forward(input, training: false)
            for row in 0..<input.batch {
                var best = 0
                for c in 1..<classes where logits[row * classes + c] > logits[row * classes + best] { best = c }
                correct.append(best == labels[row])
            }
            start = end
        }
        return correct
    }

    /// `val (the last 2,000 phrases of train.tsv)` or `dev (dev.tsv)`: which data a figure is on.
    public var splitDescription: String {
        switch split {
        case .val: "val (the last \(SST2Task.validationCount) phrases of train.tsv, never trained on)"
        case .dev: "dev (dev.tsv, \(examples.count) sentences)"
        case .train: "train"
        }
    }
}
