import CostModel
import Datasets
import Foundation
import Reports
import Search
import Support
import SuperNet

/// `hwnas search --checkpoint DIR --loop K`: the measure-refit-search loop on each device in
/// turn, with one measured accuracy (and its cache) for all of them.
public struct MeasuredSearchRun {
    public var request: SearchRequest
    public var devices: [String]
    public var catalog: DeviceCatalog
    public var folder: URL
    public var rounds: Int
    public var perRound: Int
    public var force: Bool

    public init(request: SearchRequest, devices: [String], catalog: DeviceCatalog, folder: URL, rounds: Int, perRound: Int, force: Bool = false) {
        self.request = request
        self.devices = devices
        self.catalog = catalog
        self.folder = folder
        self.rounds = rounds
        self.perRound = perRound
        self.force = force
    }

    /// Runs the loop per device; `done` hears each device's set, report and files as written.
    public func run(reporter: Reporter, done: (ParetoSet, MeasuredSearchLoop.Report, [String]) -> Void = { _, _, _ in }) throws -> [MeasuredSearchLoop.Report] {
        guard !devices.isEmpty else { throw HwnasError("give at least one --device (see `hwnas devices`)") }
        guard let space = request.space as? MiniLML6Space else {
            throw HwnasError("--loop measures accuracy on a fine-tuned checkpoint: minilm-l6 only, not \(request.space.name)")
        }
        guard let checkpoint = request.checkpoint else { throw HwnasError("--loop needs --checkpoint DIR --task sst2") }
        let kinds = request.objectives.map(\.kind)
        guard kinds == [.accuracy, .latency] || kinds == [.latency, .accuracy] else {
            throw HwnasError("--loop searches on accuracy and latency; --objectives \(request.objectives.map(\.description).joined(separator: ",")) is not that")
        }
        guard request.constraints.isEmpty else { throw HwnasError("--loop takes no --max/--min bounds") }
        guard let split = SST2Task.Split(rawValue: request.split), split != .train else {
            throw HwnasError("--split \(request.split): val (searching; the default) or dev (reporting)")
        }
        let measured = try MeasuredAccuracy(checkpoint: URL(fileURLWithPath: checkpoint), task: request.task, split: split,
                                            data: URL(fileURLWithPath: request.data), space: space)
        reporter.say("accuracy: measured on \(request.task) \(measured.splitDescription) from \(checkpoint), cached in \(measured.cache.url.relativePath) (\(measured.cache.count) there)")
        // Every device's table is read, and the loops' files checked, before the first measurement.
        let loops = try devices.map { device -> MeasuredSearchLoop in
            let tablePath = try catalog.tablePath(device: device, space: space.name)
            let table = try CostTable.read(from: URL(fileURLWithPath: tablePath))
            if let warning = table.unvalidatedWarning { reporter.warn(warning) }
            let latency = try LatencyObjective(table: table, space: space, tablePath: tablePath)
            return try MeasuredSearchLoop(space: space, device: device, latency: latency, tablePath: tablePath, measured: measured,
                                          rounds: rounds, perRound: perRound, settings: request.settings, folder: folder, force: force)
        }
        if !force {
            for loop in loops {
                if let existing = loop.files.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
                    throw HwnasError("\(existing.relativePath) exists: the loop of \(loop.device) has been run; pass --force to run it again and replace its files (measurements stay cached)")
                }
            }
        }
        var reports: [MeasuredSearchLoop.Report] = []
        for loop in loops {
            let (set, report, paths) = try loop.run(reporter: reporter)
            reports.append(report)
            done(set, report, paths)
        }
        return reports
    }
}
