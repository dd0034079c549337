import Foundation
import Training

/// What an InstaTune run adds to a fine-tuning run's files: per step the loss terms and the
/// sub-network drawn (in `state.json` and `run.json`), and how the sampler was built.
public enum InstaTuneRecord {
    /// One step.
    public struct Step: Codable, Equatable, Sendable {
        public var step: Int
        public var superCrossEntropy: Float
        public var subCrossEntropy: Float
        public var distillation: Float
        public var subnet: SubnetShape
        /// For latency-steered sampling: the latency aimed at and the table's for `subnet`.
        public var targetLatencyMs: Double?
        public var predictedLatencyMs: Double?
    }

    /// The sampler, as the run was started with it; a resume rebuilds it and must find the
    /// same `fingerprint` (the same draws).
    public struct Sampler: Codable, Equatable, Sendable {
        public var kind: String
        public var fingerprint: String
        public var seed: UInt64
        /// The cost table of latency sampling and its SHA-256.
        public var table: String?
        public var tableSha256: String?
        /// The device's table-predicted latency range, and the band drawn in, [low, high] ms.
        public var rangeMs: [Double]?
        public var bandMs: [Double]?
        /// Distinct sub-networks the latency sampler draws from, in `buckets` latency buckets.
        public var poolMembers: Int?
        public var buckets: Int?
    }

    /// Of the steps' table-predicted latencies against the uniform distribution over the band:
    /// the Kolmogorov-Smirnov statistic and its p-value (latency sampling only).
    public struct Uniformity: Codable, Equatable, Sendable {
        public var draws: Int
        public var ksStatistic: Double
        public var pValue: Double
    }

    /// `state.json`'s share.
    public struct State: Codable, Equatable, Sendable {
        public var sampler: Sampler
        public var steps: [Step]
    }

    /// `run.json`'s share.
    public struct Report: Codable, Equatable, Sendable {
        public var instaTune: Bool
        public var sampling: String
        public var device: String?
        public var bandMs: [Double]?
        public var temperature: Double
        public var loss: String
        public var sampler: Sampler
        public var latencyUniformity: Uniformity?
        public var steps: [Step]
    }
}
