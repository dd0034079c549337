import Foundation
import Optimization
import Support
import SuperNet

/// The result of a search on one device: the non-dominated feasible sub-networks, the
/// hypervolume and its history, and where every objective came from.
public struct ParetoSet: Codable, Sendable {
    public static let schemaVersion = 1

    /// Where the objective values came from.
    public struct Provenance: Codable, Sendable {
        /// The cost table of the device (latency), when latency was used.
        public var table: String?
        /// The accuracy predictor file, when accuracy was used.
        public var predictor: String?
        /// SHA-256 of the table file and of the predictor file as the search read them, so
        /// that a saved set is reused only with the same table and predictor (absent in sets
        /// written before they were recorded).
        public var tableSha256: String?
        public var predictorSha256: String?

        public init(table: String?, predictor: String?, tableSha256: String? = nil, predictorSha256: String? = nil) {
            self.table = table
            self.predictor = predictor
            self.tableSha256 = tableSha256
            self.predictorSha256 = predictorSha256
        }
    }

    /// How the search ran, so that anyone can run it again.
    public struct Settings: Codable, Sendable {
        public var algorithm: String
        public var population: Int
        public var generations: Int
        public var seed: UInt64
        public var evaluations: Int
        public var constraints: [String]
        /// Genes held at one value, e.g. `r` = 224 when the accuracy data cover 224 px only.
        public var fixedGenes: [String: Int]
        /// Genes narrowed to some of their choices (the resolutions a table was profiled at).
        public var restrictedGenes: [String: [Int]]

        public init(algorithm: String, population: Int, generations: Int, seed: UInt64, evaluations: Int,
                    constraints: [String], fixedGenes: [String: Int], restrictedGenes: [String: [Int]]) {
            self.algorithm = algorithm
            self.population = population
            self.generations = generations
            self.seed = seed
            self.evaluations = evaluations
            self.constraints = constraints
            self.fixedGenes = fixedGenes
            self.restrictedGenes = restrictedGenes
        }
    }

    public var schemaVersion: Int
    public var space: String
    public var device: String
    /// Objective names in order (`accuracy`, `latency`, `macs`, `params`).
    public var objectives: [String]
    public var senses: [ObjectiveSense]
    public var labels: [String]
    /// The metric column of the space (`Top-1 Acc (%)`).
    public var metric: String
    /// The hypervolume reference point, one value per objective in natural units.
    public var reference: [Double]
    /// `given` (--reference) or `worst of the final population plus 10% of its range`.
    public var referenceSource: String
    /// Hypervolume of the front against the reference, each objective as minimised (maximised
    /// ones negated), in the product of the objectives' units.
    public var hypervolume: Double
    /// `exact`, or `monte-carlo` for four objectives or more.
    public var hypervolumeMethod: String
    public var hypervolumeStandardError: Double?
    /// The hypervolume of each generation's front against the same reference.
    public var hypervolumeHistory: [Double]
    public var front: [ParetoMember]
    public var provenance: Provenance
    public var settings: Settings
    public var elapsedSeconds: Double
    public var hwnasVersion: String
    public var createdAt: String
    /// SHA-256 of the `.csv` and `.svg` written with this JSON (which is written after them):
    /// a reader refuses a set whose files come from different writes. Absent in older sets.
    public var csvSha256: String?
    public var svgSha256: String?

    public init(space: String, device: String, objectives: [any Objective], metric: String, reference: [Double],
                referenceSource: String, hypervolume: Double, hypervolumeMethod: String,
                hypervolumeStandardError: Double?, hypervolumeHistory: [Double], front: [ParetoMember],
                provenance: Provenance, settings: Settings, elapsedSeconds: Double) {
        schemaVersion = Self.schemaVersion
        self.space = space
        self.device = device
        self.objectives = objectives.map(\.name)
        senses = objectives.map(\.sense)
        labels = objectives.map(\.label)
        self.metric = metric
        self.reference = reference
        self.referenceSource = referenceSource
        self.hypervolume = hypervolume
        self.hypervolumeMethod = hypervolumeMethod
        self.hypervolumeStandardError = hypervolumeStandardError
        self.hypervolumeHistory = hypervolumeHistory
        self.front = front
        self.provenance = provenance
        self.settings = settings
        self.elapsedSeconds = elapsedSeconds
        hwnasVersion = HwnasVersion.current
        createdAt = Timestamp.now()
    }

    public static func read(from url: URL) throws -> ParetoSet {
        try JSONFormat.decodeFile(ParetoSet.self, from: url, kind: "Pareto set", schemaVersion: schemaVersion)
    }

    /// The file names of a device's set: `<folder>/<device>.pareto.{json,csv,svg}`.
    public static func url(folder: URL, device: String, extension ext: String) -> URL {
        folder.appendingPathComponent("\(device).pareto.\(ext)")
    }

    /// The DyNAS-T results CSV: `Sub-network,Date,Model Parameters,Latency (ms),MACs,<metric>`,
    /// the sub-network as a Python dict; latency and metric 0 when the search had no source.
    public func dynastCSV(space: any SearchSpace) -> String {
        var lines = ["Sub-network,Date,Model Parameters,Latency (ms),MACs,\(CSVTable.quoted(metric))"]
        let date = createdAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        for member in front {
            let fields = [
                CSVTable.quoted(space.dynastString(member.subnet.subnet)), date, "\(member.params)",
                member.latencyMs.map { String(format: "%.4f", $0) } ?? "0", "\(member.macs)",
                member.accuracy.map { String(format: "%.4f", $0) } ?? "0",
            ]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
