import Datasets
import Foundation
import Hardware
import Reports
import Support
import SuperNet
import Training

/// Fine-tunes a pre-trained BERT on SST-2 into a run folder, saving a resumable checkpoint as
/// it goes: the loop behind `hwnas finetune`.
///
/// A run is a pure function of its settings: the batch of step s comes from `BatchSchedule`
/// (seed and epoch alone), the dropout masks of step s from the seed, the step and the site,
/// the learning rate from the schedule at s. A checkpoint therefore holds only the weights,
/// the optimiser's moments and the step; a killed run resumed from its last save repeats the
/// steps since and, at the same thread count and parallelism, reproduces the uninterrupted
/// loss curve bit for bit. Every file of the folder is written atomically, `state.json` last, so a kill at any
/// moment leaves the previous save or the new one.
public final class FineTuneRun {
    /// Files of a run folder.
    public static let files = ["model.safetensors", "optimizer.safetensors", "state.json", "config.json", "vocab.txt", "run.json"]

    /// Where the run is, after each step.
    public struct Progress: Sendable {
        public var step: Int
        public var totalSteps: Int
        public var loss: Float
        /// Training examples per second in this invocation.
        public var samplesPerSecond: Double
        public var etaSeconds: Double
    }

    /// What the run reports as it goes.
    public enum Event: Sendable {
        case started(fromStep: Int, totalSteps: Int, resumed: Bool)
        case step(Progress)
        case evaluated(FineTuneRecord.Evaluation)
        case saved(step: Int)
    }

    public let settings: FineTuneSettings
    public let model: ModelFolder
    public let data: URL
    public let output: URL
    public let threads: Int
    /// How a step uses the threads.
    public let parallelism: FineTuneParallelism
    /// This machine's id (hardware/<machine>.json) and its all-core sgemm peak, when known.
    public let machine: String
    public let peakGflops: Double?
    public let force: Bool
    /// Writes `trace-initial.safetensors` (the weights before the first step) and
    /// `trace-batches.jsonl` (each step's ids, mask and labels) for an outside reference to
    /// train on the same data (scripts/train-equivalence).
    public var trace = false
    /// Where an InstaTune run with latency sampling finds its device's cost table.
    public var catalog: DeviceCatalog?

    public init(
        settings: FineTuneSettings, model: ModelFolder, data: URL, output: URL, threads: Int,
        parallelism: FineTuneParallelism = .batch, machine: String, peakGflops: Double?, force: Bool = false
    ) {
        self.settings = settings
        self.model = model
        self.data = data
        self.output = output
        self.threads = threads
        self.parallelism = parallelism
        self.machine = machine
        self.peakGflops = peakGflops
        self.force = force
    }

    /// Batches per epoch of `train` examples cut in batches of `batchSize` (the last smaller).
    public static func batchesPerEpoch(examples: Int, batchSize: Int) -> Int {
        (examples + batchSize - 1) / batchSize
    }

    /// Runs (or resumes) the fine-tuning, pinned to `threads` cores (one thread each: a team
    /// of shards, or the BLAS's threads, as `parallelism` says), to the last step. With
    /// `stopAfter` it stops once that many steps are done without saving, as a kill would.
    /// Returns the state as last saved.
    @discardableResult
    public func run(stopAfter: Int? = nil, progress: (Event) -> Void = { _ in }) throws -> FineTuneRecord.State {
        try settings.validate()
        let pretrained = try PretrainedModel(folder: model, dropout: settings.dropout)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: model.vocabulary())
        let task = SST2Task(folder: data)
        let train = try task.examples(.train)
        let dev = try task.examples(.dev)
        guard !train.isEmpty, !dev.isEmpty else {
            throw HwnasError("\(data.relativePath): the train or dev split is empty")
        }
        let batchesPerEpoch = Self.batchesPerEpoch(examples: train.count, batchSize: settings.batchSize)
        // An InstaTune run's model and sampler are checked before anything is written.
        var sampler: InstaTuneSampler?
        if let instaTune = settings.instaTune {
            try MiniLML6Space().checkModel(pretrained.configuration, source: model.url.relativePath)
            sampler = try InstaTuneSampler(settings: instaTune, seed: settings.seed, catalog: catalog)
        }
        let previous = try checkFolder()
        if let sampler, let previous {
            guard let recorded = previous.instaTune?.sampler else {
                throw HwnasError("\(output.relativePath)/state.json has no InstaTune sampler: it is not an InstaTune run; pass --force to replace it")
            }
            guard recorded.fingerprint == sampler.record.fingerprint else {
                throw HwnasError("\(output.relativePath): the sampler rebuilt from the run's settings would draw other sub-networks than the run drew (fingerprint \(recorded.fingerprint) there, \(sampler.record.fingerprint) now\(recorded.tableSha256 != sampler.record.tableSha256 ? "; the cost table \(sampler.record.table ?? "") changed since" : "")); resume with the run's table, or pass --force to start anew")
            }
        }
        let topology = try Topology.current()
        let pus = try PinnedDevice.defaultPUs(threads: threads, topology: topology)
        func runSteps(_ team: WorkerTeam?) throws -> FineTuneRecord.State {
            try self.train(
                pretrained: pretrained, tokenizer: tokenizer, train: train, dev: dev, batchesPerEpoch: batchesPerEpoch,
                previous: previous, sampler: sampler, stopAfter: stopAfter, team: team, progress: progress)
        }
        switch parallelism {
        case .batch: return try PinnedDevice.runTeam(pus: pus, topology: topology) { try runSteps($0) }
        case .products: return try PinnedDevice.run(pus: pus, topology: topology) { try runSteps(nil) }
        }
    }

    /// The state to resume from, nil for a new run; throws when the folder holds another run.
    func checkFolder() throws -> FineTuneRecord.State? {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw HwnasError("\(output.relativePath) is a file; --out takes a folder")
        }
        if force { return nil }
        let stateURL = output.appendingPathComponent("state.json")
        if FileManager.default.fileExists(atPath: stateURL.path) {
            let state = try JSONFormat.decodeFile(
                FineTuneRecord.State.self, from: stateURL, kind: "fine-tuning state", schemaVersion: FineTuneRecord.State.schemaVersion)
            if let difference = state.settings.difference(from: settings) {
                throw HwnasError("\(output.relativePath) holds a run with other settings (\(difference)); resume with its settings, or pass --force to replace it (nothing was written)")
            }
            return state
        }
        let present = Self.files.filter { FileManager.default.fileExists(atPath: output.appendingPathComponent($0).path) }
        if !present.isEmpty {
            throw HwnasError("\(output.relativePath) holds another run's files (\(present.joined(separator: ", "))) but no state.json to resume from; pass --force to replace them (nothing was written)")
        }
        return nil
    }

    private func train(
        pretrained: PretrainedModel, tokenizer: WordPieceTokenizer, train: [LabelledText], dev: [LabelledText],
        batchesPerEpoch: Int, previous: FineTuneRecord.State?, sampler: InstaTuneSampler?, stopAfter: Int?, team: WorkerTeam?,
        progress: (Event) -> Void
    ) throws -> FineTuneRecord.State {
        let s = settings
        let wallStart = MonotonicClock.now()
        let configuration = pretrained.configuration
        let classifier = try BertClassifier(
            configuration: configuration, maxBatch: s.batchSize, maxLength: s.maxLength, seed: s.seed, team: team)
        let optimizer = AdamW(parameters: classifier.parameters, settings: AdamWSettings(weightDecay: s.weightDecay), team: team)
        let schedule = try LinearWarmupSchedule(peakRate: s.learningRate, totalSteps: s.steps, warmupFraction: s.warmupFraction)
        let batches = try BatchSchedule(count: train.count, batchSize: s.batchSize, seed: s.seed)
        var state: FineTuneRecord.State
        if let previous {
            try restore(previous, into: classifier, optimizer: optimizer)
            state = previous
        } else {
            try pretrained.load(into: classifier)
            state = FineTuneRecord.State(
                schemaVersion: FineTuneRecord.State.schemaVersion, step: 0, epoch: 0, seed: s.seed, settings: s,
                batchesPerEpoch: batchesPerEpoch, warmupSteps: schedule.warmupSteps, losses: [], segments: [], evaluations: [],
                trainingSeconds: 0, trainingSamples: 0, elapsedSeconds: 0, trainingFlops: 0,
                instaTune: sampler.map { InstaTuneRecord.State(sampler: $0.record, steps: []) })
        }
        let instaTune = try settings.instaTune.map { try InstaTuneStep(model: classifier, temperature: $0.temperature) }
        let elapsedBefore = state.elapsedSeconds
        state.segments.append(FineTuneRecord.Segment(machine: machine, startedAt: Timestamp.now(), steps: 0, threads: threads, parallelism: parallelism.rawValue))
        progress(.started(fromStep: state.step, totalSteps: s.steps, resumed: previous != nil))
        if state.step >= s.steps { return state }

        let trainIDs = train.map { tokenizer.encode($0.text, maxLength: s.maxLength).ids }
        let devIDs = dev.map { tokenizer.encode($0.text, maxLength: s.maxLength).ids }
        let devLabels = dev.map(\.label)
        let paddingID = tokenizer.paddingID
        var segmentSeconds = 0.0, segmentSamples = 0
        if previous == nil {
            try copyModelFiles()
            if trace { try writeTrace(classifier, trainIDs: trainIDs, train: train, batches: batches, paddingID: paddingID) }
        }
        while state.step < s.steps {
            if let stopAfter, state.step >= stopAfter { return state }
            let step = state.step
            let indices = batches.batch(step: step).indices
            let input = try Self.tokenBatch(indices.map { trainIDs[$0] }, labels: indices.map { train[$0].label }, paddingID: paddingID)
            let start = MonotonicClock.now()
            classifier.zeroGradients()
            let loss: Float
            if let instaTune, let sampler {
                let draw = sampler.sampler.draw(step: step)
                let losses = try instaTune.accumulate(input, step: step, subnet: draw.shape)
                loss = losses.total
                state.instaTune?.steps.append(InstaTuneRecord.Step(
                    step: step, superCrossEntropy: losses.superCrossEntropy, subCrossEntropy: losses.subCrossEntropy,
                    distillation: losses.distillation, subnet: draw.shape, targetLatencyMs: draw.targetLatencyMs,
                    predictedLatencyMs: draw.predictedLatencyMs))
                state.trainingFlops += BertClassifier.trainingFlops(configuration, subnet: draw.shape, batch: input.batch, length: input.length)
            } else {
                loss = try classifier.forwardBackward(input, step: step)
            }
            optimizer.update(learningRate: schedule.rate(at: step))
            let seconds = MonotonicClock.seconds(since: start)
            segmentSeconds += seconds
            segmentSamples += input.batch
            state.trainingSeconds += seconds
            state.trainingSamples += input.batch
            state.trainingFlops += BertClassifier.trainingFlops(configuration, batch: input.batch, length: input.length)
            state.losses.append(loss)
            state.step = step + 1
            state.epoch = state.step / batchesPerEpoch
            state.segments[state.segments.count - 1].steps += 1
            let rate = Double(segmentSamples) / max(segmentSeconds, 1e-9)
            progress(.step(Progress(
                step: state.step, totalSteps: s.steps, loss: loss, samplesPerSecond: rate,
                etaSeconds: Double((s.steps - state.step) * s.batchSize) / rate)))
            let last = state.step == s.steps
            let evaluate = last || (s.evalEvery > 0 && state.step % s.evalEvery == 0)
            if evaluate {
                let (devLoss, accuracy) = try Self.evaluate(classifier, sequences: devIDs, labels: devLabels, paddingID: paddingID)
                let evaluation = FineTuneRecord.Evaluation(
                    step: state.step, samples: Self.samplesSeen(steps: state.step, examples: train.count, batchSize: s.batchSize),
                    loss: devLoss, devAccuracy: accuracy)
                state.evaluations.append(evaluation)
                progress(.evaluated(evaluation))
            }
            if evaluate || (s.saveEvery > 0 && state.step % s.saveEvery == 0) {
                state.elapsedSeconds = elapsedBefore + MonotonicClock.seconds(since: wallStart)
                try save(state, classifier: classifier, optimizer: optimizer)
                progress(.saved(step: state.step))
            }
        }
        return state
    }

    /// Examples of the training split seen in the first `steps` steps.
    public static func samplesSeen(steps: Int, examples: Int, batchSize: Int) -> Int {
        let perEpoch = batchesPerEpoch(examples: examples, batchSize: batchSize)
        let epochs = steps / perEpoch, rest = steps % perEpoch
        return epochs * examples + min(rest * batchSize, examples)
    }

    /// Sequences padded to the longest of them, as the model takes a batch.
    public static func tokenBatch(_ sequences: [[Int]], labels: [Int], paddingID: Int) throws -> TokenBatch {
        let padded = Batch(sequences: sequences, labels: labels, paddingID: paddingID)
        return try TokenBatch(
            batch: padded.count, length: padded.length, ids: padded.inputIDs.map { Int32($0) },
            tokenTypes: padded.tokenTypeIDs.map { Int32($0) }, attentionMask: padded.attentionMask.map { Int32($0) },
            labels: labels.map { Int32($0) })
    }

    /// Mean cross-entropy and accuracy in percent of `model` (dropout off) on `sequences`, in
    /// batches of the model's size, each padded to its longest.
    public static func evaluate(_ model: BertClassifier, sequences: [[Int]], labels: [Int], paddingID: Int) throws -> (loss: Double, accuracy: Double) {
        var correct = 0, loss = 0.0
        let classes = model.configuration.labels
        var start = 0
        while start < sequences.count {
            let end = min(start + model.maxBatch, sequences.count)
            let input = try tokenBatch(Array(sequences[start..<end]), labels: Array(labels[start..<end]), paddingID: paddingID)
            let logits = try model.forward(input, training: false)
            for row in 0..<input.batch {
                let values = (0..<classes).map { Double(logits[row * classes + $0]) }
                let top = values.max()!
                let logSum = top + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - top) })
                let label = labels[start + row]
                loss += logSum - values[label]
                if values.firstIndex(of: top)! == label { correct += 1 }
            }
            start = end
        }
        return (loss / Double(sequences.count), 100 * Double(correct) / Double(sequences.count))
    }

    private func copyModelFiles() throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try AtomicFile.write(Data(contentsOf: model.configuration()), to: output.appendingPathComponent("config.json"))
        try AtomicFile.write(Data(contentsOf: model.vocabulary()), to: output.appendingPathComponent("vocab.txt"))
    }

    private func writeTrace(
        _ classifier: BertClassifier, trainIDs: [[Int]], train: [LabelledText], batches: BatchSchedule, paddingID: Int
    ) throws {
        var weights: [String: SafeTensors.Tensor] = [:]
        for (name, shape, pointer) in classifier.parameters.namedValues {
            weights[name] = SafeTensors.Tensor(shape: shape, floats: Array(UnsafeBufferPointer(start: pointer, count: shape.reduce(1, *))))
        }
        try SafeTensors.write(weights, to: output.appendingPathComponent("trace-initial.safetensors"))
        var lines = ""
        for step in 0..<settings.steps {
            let indices = batches.batch(step: step).indices
            let input = try Self.tokenBatch(indices.map { trainIDs[$0] }, labels: indices.map { train[$0].label }, paddingID: paddingID)
            lines += "{\"step\":\(step),\"length\":\(input.length),\"ids\":\(input.ids),\"mask\":\(input.attentionMask),\"labels\":\(input.labels)}\n"
        }
        try AtomicFile.write(Data(lines.utf8), to: output.appendingPathComponent("trace-batches.jsonl"))
    }

    /// Writes the checkpoint: weights and moments first, `state.json` and `run.json` last.
    func save(_ state: FineTuneRecord.State, classifier: BertClassifier, optimizer: AdamW) throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let metadata = ["step": String(state.step), "format": "pt"]
        var weights: [String: SafeTensors.Tensor] = [:]
        for (name, shape, pointer) in classifier.parameters.namedValues {
            weights[name] = SafeTensors.Tensor(shape: shape, floats: Array(UnsafeBufferPointer(start: pointer, count: shape.reduce(1, *))))
        }
        try SafeTensors.write(weights, metadata: metadata, to: output.appendingPathComponent("model.safetensors"))
        var moments: [String: SafeTensors.Tensor] = [:]
        for (name, shape, pointer) in optimizer.namedState {
            moments[name] = SafeTensors.Tensor(shape: shape, floats: Array(UnsafeBufferPointer(start: pointer, count: shape.reduce(1, *))))
        }
        try SafeTensors.write(moments, metadata: metadata, to: output.appendingPathComponent("optimizer.safetensors"))
        try AtomicFile.write(JSONFormat.encode(state), to: output.appendingPathComponent("state.json"))
        try AtomicFile.write(JSONFormat.encode(report(state)), to: output.appendingPathComponent("run.json"))
    }

    /// `run.json` of `state`.
    func report(_ state: FineTuneRecord.State) -> FineTuneRecord.Run {
        let seconds = max(state.trainingSeconds, 1e-9)
        let gflops = state.trainingFlops / seconds / 1e9
        return FineTuneRecord.Run(
            schemaVersion: FineTuneRecord.Run.schemaVersion, space: settings.space, task: settings.task, settings: settings,
            stepsDone: state.step, segments: state.segments, evaluations: state.evaluations,
            samplesPerSecond: Double(state.trainingSamples) / seconds, trainingGflopsPerSecond: gflops,
            percentOfPeak: peakGflops.map { 100 * gflops / $0 }, peakGflopsPerSecond: peakGflops,
            flopsCounting: "BertClassifier.trainingFlops per batch at its padded length: 6 x encoder matrix parameters x tokens, 6 x pooler and classifier parameters x sequences, and the attention products Q.K^T and P.V (12 x layers x length^2 x hidden per sequence); embeddings, normalisations and activations not counted" + (settings.instaTune == nil ? "" : "; an InstaTune step adds the same count for its sub-network's active layers, heads and units"),
            elapsedSeconds: state.elapsedSeconds, instaTune: instaTuneReport(state))
    }

    /// `run.json`'s InstaTune part: settings, sampler, per-step terms and, for latency
    /// sampling, how uniform the drawn latencies were over the band.
    func instaTuneReport(_ state: FineTuneRecord.State) -> InstaTuneRecord.Report? {
        guard let settings = settings.instaTune, let record = state.instaTune else { return nil }
        var uniformity: InstaTuneRecord.Uniformity?
        let latencies = record.steps.compactMap(\.predictedLatencyMs)
        if let band = record.sampler.bandMs, band[1] > band[0], !latencies.isEmpty {
            let d = KolmogorovSmirnov.uniformStatistic(latencies, lower: band[0], upper: band[1])
            uniformity = InstaTuneRecord.Uniformity(draws: latencies.count, ksStatistic: d, pValue: KolmogorovSmirnov.pValue(statistic: d, count: latencies.count))
        }
        return InstaTuneRecord.Report(
            instaTune: true, sampling: settings.sampling.rawValue, device: settings.device, bandMs: settings.bandMs,
            temperature: settings.temperature,
            loss: "(CE_super + CE_sub) / 2 + T^2 KL(softmax(z_super / T) detached || softmax(z_sub / T)), batch means, T = \(settings.temperature)",
            sampler: record.sampler, latencyUniformity: uniformity, steps: record.steps)
    }

    /// Loads a checkpoint's weights and moments, checking they belong to `state`'s step.
    private func restore(_ state: FineTuneRecord.State, into classifier: BertClassifier, optimizer: AdamW) throws {
        let weights = try SafeTensors(contentsOf: output.appendingPathComponent("model.safetensors"))
        let moments = try SafeTensors(contentsOf: output.appendingPathComponent("optimizer.safetensors"))
        for file in [weights, moments] where file.metadata?["step"] != String(state.step) {
            throw HwnasError("\(file.source) is of step \(file.metadata?["step"] ?? "unknown"), state.json of step \(state.step): the folder mixes two saves; pass --force to start anew")
        }
        try PretrainedModel.load(weights, into: classifier, requireClassifier: true)
        for (name, shape, pointer) in optimizer.namedState {
            let values = try moments.floats(name, shape: shape)
            values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
        }
        optimizer.step = state.step
    }
}
