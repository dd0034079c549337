import Foundation
import Support

/// What decides a fine-tuning run's numbers: a resumed run must have the same ones, so they are
/// stored in `state.json` and compared field by field. Threads are not among them (the loss
/// curve is reproduced bit for bit at the same thread count, but a run may resume with others).
public struct FineTuneSettings: Codable, Equatable, Sendable {
    public var space: String
    public var task: String
    /// Optimiser steps of the whole run (from --steps, or --epochs x batches per epoch).
    public var steps: Int
    /// The epochs asked for, when the run was sized in epochs.
    public var epochs: Int?
    public var batchSize: Int
    public var learningRate: Double
    public var warmupFraction: Double
    public var weightDecay: Double
    public var dropout: Float
    public var maxLength: Int
    public var seed: UInt64
    public var evalEvery: Int
    public var saveEvery: Int
    /// InstaTune (a sub-network trained beside the full network each step), nil for plain
    /// fine-tuning.
    public var instaTune: InstaTuneSettings?

    public init(
        space: String = "minilm-l6", task: String = "sst2", steps: Int, epochs: Int? = nil, batchSize: Int = 32,
        learningRate: Double = 1e-4, warmupFraction: Double = 0.06, weightDecay: Double = 0.01, dropout: Float = 0.1,
        maxLength: Int = 64, seed: UInt64 = 0, evalEvery: Int = 500, saveEvery: Int = 100,
        instaTune: InstaTuneSettings? = nil
    ) {
        self.space = space
        self.task = task
        self.steps = steps
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.warmupFraction = warmupFraction
        self.weightDecay = weightDecay
        self.dropout = dropout
        self.maxLength = maxLength
        self.seed = seed
        self.evalEvery = evalEvery
        self.saveEvery = saveEvery
        self.instaTune = instaTune
    }

    /// Throws naming the first setting that cannot run.
    public func validate() throws {
        if steps < 1 { throw HwnasError("--steps must be at least 1; got \(steps)") }
        if batchSize < 1 { throw HwnasError("--batch must be at least 1; got \(batchSize)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw HwnasError("--lr must be positive; got \(learningRate)") }
        if maxLength < 2 { throw HwnasError("--max-length must be at least 2 (room for [CLS] and [SEP]); got \(maxLength)") }
        if evalEvery < 0 { throw HwnasError("--eval-every must be 0 (only at the end) or positive; got \(evalEvery)") }
        if saveEvery < 0 { throw HwnasError("--save-every must be 0 (only at evaluations) or positive; got \(saveEvery)") }
        try instaTune?.validate()
    }

    /// The first setting in which `other` differs, as `name: this vs other`, or nil.
    public func difference(from other: FineTuneSettings) -> String? {
        let pairs: [(String, String, String)] = [
            ("space", space, other.space), ("task", task, other.task), ("steps", "\(steps)", "\(other.steps)"),
            ("epochs", epochs.map(String.init) ?? "none", other.epochs.map(String.init) ?? "none"),
            ("batch", "\(batchSize)", "\(other.batchSize)"), ("lr", "\(learningRate)", "\(other.learningRate)"),
            ("warmupFraction", "\(warmupFraction)", "\(other.warmupFraction)"),
            ("weightDecay", "\(weightDecay)", "\(other.weightDecay)"), ("dropout", "\(dropout)", "\(other.dropout)"),
            ("max-length", "\(maxLength)", "\(other.maxLength)"), ("seed", "\(seed)", "\(other.seed)"),
            ("eval-every", "\(evalEvery)", "\(other.evalEvery)"), ("save-every", "\(saveEvery)", "\(other.saveEvery)"),
            ("instatune", instaTune?.summary ?? "off", other.instaTune?.summary ?? "off"),
            ("instatune temperature", instaTune.map { "\($0.temperature)" } ?? "none", other.instaTune.map { "\($0.temperature)" } ?? "none"),
            ("latency sampler pool", instaTune.map { "\($0.poolSize) in \($0.buckets) buckets" } ?? "none",
             other.instaTune.map { "\($0.poolSize) in \($0.buckets) buckets" } ?? "none"),
        ]
        return pairs.first { $0.1 != $0.2 }.map { "\($0.0): \($0.1) there, \($0.2) now" }
    }
}
