import CostModel
import Foundation
import Optimization
import Predictors
import Search
import Support
import SuperNet

/// The measure-refit-search loop (DyNAS-T's LINAS; NATv2's archive start): measure a few
/// sub-networks for real, fit an accuracy predictor on every measurement so far, search with
/// NSGA-II on predicted accuracy and the device's table latency, measure the front for real,
/// and again. Each round reports the predictor's Kendall tau on the sub-networks it is about to
/// learn from (measured after it predicted them): its error on networks it has not seen.
///
/// Writes into the results folder, for the device: `.pareto.{json,csv,svg}` (the last round's
/// front; the CSV's metric column holds the measured accuracy, 0 where a member was not
/// measured, never a predicted one; the JSON has both, named), `.loop.json` (the rounds and the
/// archive), `.loop-archive.csv` (every measured sub-network, DyNAS-T's columns) and
/// `.loop-predictor.json` (the last predictor).
public struct MeasuredSearchLoop {
    /// One measured sub-network of the archive.
    public struct Member: Codable, Sendable {
        public var subnet: SubnetJSON
        public var network: String
        public var latencyMs: Double
        public var macs: Int
        public var params: Int
        public var measuredAccuracy: Double
        /// 0 for the archive's start, else the round whose front it was on.
        public var round: Int
        /// What the predictor of that round predicted before it was measured (nil at the start).
        public var predictedAccuracy: Double?
    }

    /// One round: fit, search, measure.
    public struct Round: Codable, Sendable {
        public var round: Int
        /// Measured sub-networks the predictor was fitted on.
        public var fittedOn: Int
        public var predictor: String
        public var crossValidatedMape: Double
        public var crossValidatedKendallTau: Double
        public var frontSize: Int
        /// Front members not measured before, and of them the ones measured this round.
        public var unseenOnFront: Int
        public var measured: Int
        /// Kendall tau of the predictor's accuracy against the measured one on the sub-networks
        /// measured this round, which it had not seen (nil for fewer than two).
        public var kendallTau: Double?
        public var meanAbsoluteError: Double?
        public var predictedHypervolume: Double
        public var searchSeconds: Double
    }

    /// `<device>.loop.json`.
    public struct Report: Codable, Sendable {
        public static let schemaVersion = 1
        public var schemaVersion: Int
        public var space: String
        public var device: String
        public var table: String
        public var tableSha256: String?
        public var checkpoint: String
        public var checkpointSha256: String
        public var task: String
        public var split: String
        public var accuracyCache: String
        public var rounds: Int
        public var measurePerRound: Int
        public var population: Int
        public var generations: Int
        public var seed: UInt64
        public var roundsDone: [Round]
        /// Every measured sub-network, in the order measured.
        public var archive: [Member]
        /// Measurements made by this run (the rest came from the cache), and their seconds.
        public var measuredNow: Int
        public var measuringSeconds: Double
        public var elapsedSeconds: Double
        public var notes: String
        public var hwnasVersion: String
        public var createdAt: String
    }

    public var space: MiniLML6Space
    public var device: String
    public var latency: LatencyObjective
    public var tablePath: String
    public var measured: MeasuredAccuracy
    public var rounds: Int
    public var perRound: Int
    public var settings: NSGA2Settings
    public var predictorSettings = PredictorSettings()
    /// `<results-dir>/<space>`.
    public var folder: URL
    public var force = false

    public init(space: MiniLML6Space, device: String, latency: LatencyObjective, tablePath: String, measured: MeasuredAccuracy,
                rounds: Int, perRound: Int, settings: NSGA2Settings, folder: URL, force: Bool = false) throws {
        guard rounds >= 1 else { throw HwnasError("--loop \(rounds): at least one round") }
        guard perRound >= predictorSettings.folds else {
            throw HwnasError("--measure-per-round \(perRound): at least \(predictorSettings.folds), the predictor's cross-validation folds (the first round fits on that many)")
        }
        self.space = space
        self.device = device
        self.latency = latency
        self.tablePath = tablePath
        self.measured = measured
        self.rounds = rounds
        self.perRound = perRound
        self.settings = settings
        self.folder = folder
        self.force = force
    }

    public func url(_ suffix: String) -> URL {
        folder.appendingPathComponent("\(device).\(suffix)")
    }

    /// The files the loop writes.
    public var files: [URL] {
        ["pareto.json", "pareto.csv", "pareto.svg", "loop.json", "loop-archive.csv", "loop-predictor.json"].map(url)
    }

    /// Runs the rounds; returns the last round's front (as written) and the report.
    public func run(reporter: Reporter) throws -> (set: ParetoSet, report: Report, paths: [String]) {
        let start = MonotonicClock.now()
        try AtomicFile.checkWritable(folder: folder)
        try RunLocks.resultsFolder(folder)
        if !force, let existing = files.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            throw HwnasError("\(existing.relativePath) exists: the loop of \(device) has been run; pass --force to run it again and replace its files (measurements stay cached)")
        }
        let measuredBefore = measured.measured, secondsBefore = measured.measuringSeconds
        var archive: [Member] = []
        var known: Set<String> = []
        func add(_ subnet: Subnet, round: Int, predicted: Double?) throws -> Member {
            let entry = try measured.measure(subnet)
            let member = Member(subnet: SubnetJSON(space: space, subnet: subnet), network: entry.network, latencyMs: latency.value(of: subnet),
                                macs: space.macs(of: subnet), params: space.params(of: subnet), measuredAccuracy: entry.accuracy,
                                round: round, predictedAccuracy: predicted)
            archive.append(member)
            known.insert(entry.network)
            return member
        }

        // The archive's start: the smallest and largest sub-networks and a spread of random ones.
        var generator = SeededGenerator(seed: settings.seed)
        var starts = [uniform(\.first), uniform(\.last)]
        var startKeys = Set(starts.map(measured.network))
        while starts.count < perRound {
            let subnet = space.sample(using: &generator)
            if startKeys.insert(measured.network(subnet)).inserted { starts.append(subnet) }
        }
        for (index, subnet) in starts.enumerated() {
            reporter.progress("\(device): measuring the archive's start on \(measured.split.rawValue), \(index + 1)/\(starts.count)")
            _ = try add(subnet, round: 0, predicted: nil)
        }
        reporter.progressDone()
        reporter.say("\(device): archive start: \(starts.count) sub-networks measured on \(measured.split.rawValue) (the smallest, the largest and \(starts.count - 2) random)")

        var done: [Round] = []
        var last: (set: ParetoSet, predictor: AccuracyPredictor)?
        for round in 1...rounds {
            try writeArchive(archive)
            let data = try AccuracyData(space: space, files: [url("loop-archive.csv")])
            reporter.progress("\(device): round \(round)/\(rounds): fitting the predictor on \(archive.count) measured sub-networks")
            let predictor = try AccuracyPredictor.fit(data: data, settings: predictorSettings)
            let objective = AccuracyObjective(
                metric: space.metricColumn, provenance: url("loop-predictor.json").relativePath,
                label: "Predicted \(space.metricColumn) (\(measured.split.rawValue), round \(round) predictor)") { predictor.predict($0) }
            let problem = try SpaceProblem(space: space, objectives: [objective, latency])
            var roundSettings = settings
            roundSettings.seed = settings.seed &+ UInt64(round)
            let search = DeviceSearch(problem: problem, device: device, settings: roundSettings, latency: latency, accuracy: objective,
                                      provenance: ParetoSet.Provenance(table: tablePath, predictor: url("loop-predictor.json").relativePath))
            let searchStart = MonotonicClock.now()
            let set = try search.run { p in
                reporter.progress("\(device): round \(round)/\(rounds): searching, generation \(p.generation)/\(p.generations)")
            }
            let searchSeconds = MonotonicClock.seconds(since: searchStart)
            let unseen = set.front.filter { !known.contains(measured.network($0.subnet.subnet)) }
            let chosen = Self.spread(unseen.sorted { ($0.latencyMs ?? 0) < ($1.latencyMs ?? 0) }, count: perRound)
            var predicted: [Double] = [], actual: [Double] = []
            for (index, member) in chosen.enumerated() {
                reporter.progress("\(device): round \(round)/\(rounds): measuring the front on \(measured.split.rawValue), \(index + 1)/\(chosen.count)")
                let guess = predictor.predict(member.subnet.subnet)
                let added = try add(member.subnet.subnet, round: round, predicted: guess)
                predicted.append(guess)
                actual.append(added.measuredAccuracy)
            }
            reporter.progressDone()
            let tau = predicted.count >= 2 ? RankCorrelation.kendallTau(predicted, actual) : nil
            let mae = predicted.isEmpty ? nil : zip(predicted, actual).map { abs($0 - $1) }.reduce(0, +) / Double(predicted.count)
            let record = Round(
                round: round, fittedOn: data.rows.count, predictor: predictor.kind.rawValue,
                crossValidatedMape: predictor.crossValidation.metrics.mape, crossValidatedKendallTau: predictor.crossValidation.metrics.kendallTau,
                frontSize: set.front.count, unseenOnFront: unseen.count, measured: chosen.count, kendallTau: tau, meanAbsoluteError: mae,
                predictedHypervolume: set.hypervolume, searchSeconds: searchSeconds)
            done.append(record)
            reporter.say("\(device): round \(round)/\(rounds): predictor (\(predictor.kind.rawValue), fitted on \(data.rows.count)) on \(chosen.count) unseen front members: Kendall tau \(tau.map { String(format: "%.3f", $0) } ?? "n/a (fewer than 2)")" + (mae.map { String(format: ", MAE %.3f points", $0) } ?? "") + "; front of \(set.front.count), \(unseen.count) not measured before")
            last = (set, predictor)
        }
        try writeArchive(archive)
        let (searched, predictor) = last!
        try predictor.write(to: url("loop-predictor.json"))

        // The last front: measured accuracy where there is one (the metric column), the
        // prediction beside it, named.
        let byNetwork = Dictionary(archive.map { ($0.network, $0) }, uniquingKeysWith: { first, _ in first })
        var set = searched
        for i in set.front.indices {
            let subnet = set.front[i].subnet.subnet
            let measuredMember = byNetwork[measured.network(subnet)]
            set.front[i].predictedAccuracy = set.front[i].values[.accuracy]
            set.front[i].measuredAccuracy = measuredMember?.measuredAccuracy
            set.front[i].accuracy = measuredMember?.measuredAccuracy
        }
        set.provenance.predictorSha256 = SHA256.hex(ofFile: url("loop-predictor.json"))
        set.provenance.tableSha256 = SHA256.hex(ofFile: URL(fileURLWithPath: tablePath))
        measured.record(into: &set.provenance, source: "loop")
        let paths = try set.write(to: folder, space: space)
        let report = Report(
            schemaVersion: Report.schemaVersion, space: space.name, device: device, table: tablePath,
            tableSha256: SHA256.hex(ofFile: URL(fileURLWithPath: tablePath)), checkpoint: measured.folder.relativePath,
            checkpointSha256: measured.cache.header.modelSha256, task: measured.task, split: measured.split.rawValue,
            accuracyCache: measured.cache.url.relativePath, rounds: rounds, measurePerRound: perRound,
            population: settings.population, generations: settings.generations, seed: settings.seed, roundsDone: done,
            archive: archive, measuredNow: measured.measured - measuredBefore, measuringSeconds: measured.measuringSeconds - secondsBefore,
            elapsedSeconds: MonotonicClock.seconds(since: start),
            notes: "accuracies are measured on \(measured.splitDescription); in \(device).pareto.csv the metric column holds the measured accuracy and 0 where a front member was not measured; \(device).pareto.json gives measuredAccuracy and predictedAccuracy (the last round's predictor) per member; each round's Kendall tau compares the predictor with measurements of networks it had not been fitted on",
            hwnasVersion: HwnasVersion.current, createdAt: Timestamp.now())
        try AtomicFile.write(JSONFormat.encode(report), to: url("loop.json"))
        return (set, report, paths + [url("loop.json").relativePath, url("loop-archive.csv").relativePath, url("loop-predictor.json").relativePath])
    }

    /// Every slot at its smallest (or largest) choice.
    func uniform(_ pick: KeyPath<[Int], Int?>) -> Subnet {
        var values: [String: [Int]] = [:]
        for gene in space.genes { values[gene.name] = Array(repeating: gene.choices.sorted()[keyPath: pick]!, count: gene.length) }
        return Subnet(values: values)
    }

    /// `count` members spread evenly along `members` (all of them when there are no more).
    static func spread<T>(_ members: [T], count: Int) -> [T] {
        guard members.count > count else { return members }
        guard count > 1 else { return [members[members.count / 2]] }
        var indices: [Int] = []
        for i in 0..<count {
            let index = Int((Double(i) * Double(members.count - 1) / Double(count - 1)).rounded())
            if indices.last != index { indices.append(index) }
        }
        return indices.map { members[$0] }
    }

    /// The archive as a DyNAS-T results CSV: what the predictor is fitted on.
    func writeArchive(_ archive: [Member]) throws {
        var lines = ["Sub-network,Date,Model Parameters,Latency (ms),MACs,\(CSVTable.quoted(space.metricColumn))"]
        let date = Timestamp.now().replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        for member in archive {
            lines.append([
                CSVTable.quoted(space.dynastString(member.subnet.subnet)), date, "\(member.params)",
                String(format: "%.4f", member.latencyMs), "\(member.macs)", String(format: "%.4f", member.measuredAccuracy),
            ].joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: url("loop-archive.csv"))
    }
}
