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
        /// Where measured accuracy came from: `measured` (run from a checkpoint on a split), or
        /// `loop` (measured where a member's `measuredAccuracy` is given, else none: the CSV's
        /// metric column then holds 0, never a prediction). Absent when accuracy was predicted
        /// (`predictor` names the file) or is not an objective.
        public var accuracySource: String?
        /// For measured accuracy: the checkpoint folder, the SHA-256 of its weights, the task,
        /// the split (`val` or `dev`) and the cache file of the measurements.
        public var checkpoint: String?
        public var checkpointSha256: String?
        public var task: String?
        public var split: String?
        public var accuracyCache: String?

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
    /// The objectives in order, each with its sense; on disk two lists, `objectives` (names:
    /// `accuracy`, `latency`, `macs`, `params`) and `senses`.
    public var objectives: [ObjectiveSpec]
    public var senses: [ObjectiveSense] { objectives.map(\.sense) }
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
        self.objectives = objectives.map(\.spec)
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

    /// The objective drawn across (latency, else the first) and the one drawn up (accuracy,
    /// else the next): the plot of a set and the comparisons of two sets take the same pair.
    public var axes: (x: ObjectiveSpec, y: ObjectiveSpec) {
        let x = objectives.first { $0.kind == .latency } ?? objectives[0]
        let y = objectives.first { $0.kind == .accuracy } ?? objectives.first { $0 != x }!
        return (x, y)
    }

    /// Where an objective of this kind stands in `objectives`, `reference` and `labels`.
    public func index(of kind: ObjectiveKind) -> Int? {
        objectives.firstIndex { $0.kind == kind }
    }
}

extension ParetoSet {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, space, device, objectives, senses, labels, metric, reference, referenceSource
        case hypervolume, hypervolumeMethod, hypervolumeStandardError, hypervolumeHistory, front, provenance
        case settings, elapsedSeconds, hwnasVersion, createdAt, csvSha256, svgSha256
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        space = try c.decode(String.self, forKey: .space)
        device = try c.decode(String.self, forKey: .device)
        let kinds = try c.decode([ObjectiveKind].self, forKey: .objectives)
        let senses = try c.decode([ObjectiveSense].self, forKey: .senses)
        guard kinds.count == senses.count else {
            throw DecodingError.dataCorruptedError(forKey: .senses, in: c, debugDescription:
                "\(senses.count) senses for \(kinds.count) objectives (\(kinds.map(\.rawValue).joined(separator: ",")))")
        }
        objectives = zip(kinds, senses).map { ObjectiveSpec(kind: $0, sense: $1) }
        labels = try c.decode([String].self, forKey: .labels)
        metric = try c.decode(String.self, forKey: .metric)
        reference = try c.decode([Double].self, forKey: .reference)
        referenceSource = try c.decode(String.self, forKey: .referenceSource)
        hypervolume = try c.decode(Double.self, forKey: .hypervolume)
        hypervolumeMethod = try c.decode(String.self, forKey: .hypervolumeMethod)
        hypervolumeStandardError = try c.decodeIfPresent(Double.self, forKey: .hypervolumeStandardError)
        hypervolumeHistory = try c.decode([Double].self, forKey: .hypervolumeHistory)
        front = try c.decode([ParetoMember].self, forKey: .front)
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        settings = try c.decode(Settings.self, forKey: .settings)
        elapsedSeconds = try c.decode(Double.self, forKey: .elapsedSeconds)
        hwnasVersion = try c.decode(String.self, forKey: .hwnasVersion)
        createdAt = try c.decode(String.self, forKey: .createdAt)
        csvSha256 = try c.decodeIfPresent(String.self, forKey: .csvSha256)
        svgSha256 = try c.decodeIfPresent(String.self, forKey: .svgSha256)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(space, forKey: .space)
        try c.encode(device, forKey: .device)
        try c.encode(objectives.map(\.kind), forKey: .objectives)
        try c.encode(senses, forKey: .senses)
        try c.encode(labels, forKey: .labels)
        try c.encode(metric, forKey: .metric)
        try c.encode(reference, forKey: .reference)
        try c.encode(referenceSource, forKey: .referenceSource)
        try c.encode(hypervolume, forKey: .hypervolume)
        try c.encode(hypervolumeMethod, forKey: .hypervolumeMethod)
        try c.encodeIfPresent(hypervolumeStandardError, forKey: .hypervolumeStandardError)
        try c.encode(hypervolumeHistory, forKey: .hypervolumeHistory)
        try c.encode(front, forKey: .front)
        try c.encode(provenance, forKey: .provenance)
        try c.encode(settings, forKey: .settings)
        try c.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try c.encode(hwnasVersion, forKey: .hwnasVersion)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(csvSha256, forKey: .csvSha256)
        try c.encodeIfPresent(svgSha256, forKey: .svgSha256)
    }
}
