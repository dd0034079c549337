import Foundation

/// The files of a fine-tuning run's folder beside the weights: `state.json` (what resuming
/// needs) and `run.json` (what the run measured).
public enum FineTuneRecord {
    /// One evaluation on `dev`.
    public struct Evaluation: Codable, Equatable, Sendable {
        public var step: Int
        /// Training examples seen by then.
        public var samples: Int
        /// Mean cross-entropy on `dev`.
        public var loss: Double
        /// Accuracy on `dev` in percent.
        public var devAccuracy: Double
    }

    /// One invocation's share of the run: a run resumed on another machine or day says so.
    public struct Segment: Codable, Equatable, Sendable {
        public var machine: String
        public var startedAt: String
        public var steps: Int
        public var threads: Int
        /// `FineTuneParallelism`'s name (absent in runs saved before there was a choice, which
        /// ran `products`).
        public var parallelism: String?
    }

    /// `state.json`: where the saved checkpoint stands and everything needed to continue it.
    public struct State: Codable, Equatable, Sendable {
        public static let schemaVersion = 1
        public var schemaVersion: Int
        /// Optimiser steps done (the checkpoint's weights are those after this many updates).
        public var step: Int
        /// The epoch the next step belongs to.
        public var epoch: Int
        public var seed: UInt64
        public var settings: FineTuneSettings
        /// Batches per epoch of the training split (the schedule's cut).
        public var batchesPerEpoch: Int
        public var warmupSteps: Int
        /// The training loss of every step done, in order (the loss curve).
        public var losses: [Float]
        public var segments: [Segment]
        public var evaluations: [Evaluation]
        /// Seconds spent in training steps (evaluation and saving excluded), summed over segments.
        public var trainingSeconds: Double
        /// Training examples seen in those seconds.
        public var trainingSamples: Int
        /// Wall-clock seconds of all segments up to the save.
        public var elapsedSeconds: Double
        /// Training FLOPs done (BertClassifier.trainingFlops of each batch's shape).
        public var trainingFlops: Double
        /// An InstaTune run's sampler and per-step record.
        public var instaTune: InstaTuneRecord.State?
    }

    /// `run.json`: the run as a report reads it.
    public struct Run: Codable, Equatable, Sendable {
        public static let schemaVersion = 1
        public var schemaVersion: Int
        public var space: String
        public var task: String
        public var settings: FineTuneSettings
        public var stepsDone: Int
        public var segments: [Segment]
        public var evaluations: [Evaluation]
        /// Training examples per second over the training steps of all segments.
        public var samplesPerSecond: Double
        /// Training FLOPs per second as BertClassifier.trainingFlops counts them (6 x matrix
        /// parameters x tokens plus the attention products, per batch at its padded length).
        public var trainingGflopsPerSecond: Double
        /// Of the machine's all-core sgemm peak (hardware/<machine>.json), nil without one.
        public var percentOfPeak: Double?
        public var peakGflopsPerSecond: Double?
        public var flopsCounting: String
        public var elapsedSeconds: Double
        /// An InstaTune run: its sampling, loss terms and sub-network per step.
        public var instaTune: InstaTuneRecord.Report?
    }
}
