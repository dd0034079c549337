import Foundation
import Reports
import Search
import Support
import SuperNet

/// `hwnas search --space`: one Pareto set per device, from the same settings, written to the
/// results folder.
public struct SpaceSearchRun {
    public var request: SearchRequest
    public var devices: [String]
    /// Where the devices' tables are.
    public var catalog: DeviceCatalog
    /// `<results-dir>/<space>`.
    public var folder: URL
    /// Replace sets already in the results folder.
    public var force = false

    public init(request: SearchRequest, devices: [String], catalog: DeviceCatalog, folder: URL, force: Bool = false) {
        self.request = request
        self.devices = devices
        self.catalog = catalog
        self.folder = folder
        self.force = force
    }

    /// Searches every device in turn; `searched` hears each set with the paths it was written
    /// to as soon as it is written. Returns the sets in the order of `devices`.
    public func run(reporter: Reporter, searched: (ParetoSet, [String]) -> Void = { _, _ in }) throws -> [ParetoSet] {
        let space = request.space
        guard !devices.isEmpty else {
            throw HwnasError("give at least one --device (see `hwnas devices`)")
        }
        let plan = try SearchPlan(request, reporter: reporter)
        // Every device's table is checked before the first search runs.
        let searches = try devices.map { try plan.search(device: $0, catalog: catalog, warn: reporter.warn) }
        if let measured = plan.measured {
            try Self.checkMeasuringBudget(measured, evaluations: request.settings.evaluations * devices.count, space: space)
            measured.measuredHook = { entry, count in
                reporter.progress("measured \(count) sub-network\(count == 1 ? "" : "s") on \(measured.split.rawValue) (last: \(String(format: "%.2f", entry.accuracy))% in \(String(format: "%.1f", entry.seconds)) s)")
            }
        }
        try AtomicFile.checkWritable(folder: folder)
        try RunLocks.resultsFolder(folder)
        if !force {
            for search in searches {
                if let existing = ParetoSet.existingFiles(folder: folder, device: search.device).first {
                    throw HwnasError("\(existing.relativePath) exists: the Pareto set of \(search.device) is already searched; pass --force to search it again and replace it")
                }
            }
        }
        var sets: [ParetoSet] = []
        for search in searches {
            let set = try search.run { p in
                reporter.progress("searching \(space.name) on \(search.device): generation \(p.generation)/\(p.generations), \(p.frontSize) on the front")
            }
            reporter.progressDone()
            if let failure = plan.measured?.failure { throw failure }
            let paths = try set.write(to: folder, space: space)
            sets.append(set)
            searched(set, paths)
        }
        return sets
    }

    /// Sub-networks a search with measured accuracy may measure without the loop.
    public static let measuringLimit = 500

    /// Refuses a search that could measure more than `measuringLimit` sub-networks, with the
    /// time it could take: one measurement (of the largest sub-network, the slowest) times
    /// the evaluations.
    static func checkMeasuringBudget(_ measured: MeasuredAccuracy, evaluations: Int, space: any SearchSpace) throws {
        let alreadyThere = measured.cache.count
        guard evaluations > measuringLimit else { return }
        var largest: [String: [Int]] = [:]
        for gene in space.genes { largest[gene.name] = Array(repeating: gene.choices.max()!, count: gene.length) }
        let seconds = try measured.secondsPerEvaluation(Subnet(values: largest))
        let total = seconds * Double(evaluations)
        throw HwnasError("a search on measured accuracy would measure up to \(evaluations) sub-networks (population x generations x devices), more than \(measuringLimit): at \(String(format: "%.2f", seconds)) s per measurement on \(measured.split.rawValue) (the largest sub-network, measured now) that is up to \(Self.duration(total)) (\(alreadyThere) already in \(measured.cache.url.relativePath)). Use --loop K --measure-per-round N (a predictor refitted on a few measured sub-networks), or a smaller --population / --generations")
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 3600 ? String(format: "%.1f h", seconds / 3600) : seconds >= 60 ? String(format: "%.0f min", seconds / 60) : String(format: "%.0f s", seconds)
    }
}
