import CostModel
import Foundation
import Reports
import Search
import Support
import SuperNet

/// `hwnas compare`: how devices differ on one space, and what the wrong device's Pareto set
/// costs. Reads every table, reuses the saved Pareto sets searched with this run's settings,
/// searches the others (and, with `fresh`, every device, once more with the next seed to measure
/// the search's own spread), and writes one report per pair.
public struct ComparisonRun {
    /// How the Pareto sets that are not saved are searched (and what a saved one must match).
    public var request: SearchRequest
    public var devices: [String]
    public var catalog: DeviceCatalog
    /// `<results-dir>/<space>`.
    public var folder: URL
    /// Random sub-networks for the rank correlation.
    public var sampleSize: Int
    /// Search every device now; saved sets are kept unless `force`.
    public var fresh = false
    /// Search again and replace a saved set that cannot be used.
    public var force = false

    public init(request: SearchRequest, devices: [String], catalog: DeviceCatalog, folder: URL, sampleSize: Int,
                fresh: Bool = false, force: Bool = false) {
        self.request = request
        self.devices = devices
        self.catalog = catalog
        self.folder = folder
        self.sampleSize = sampleSize
        self.fresh = fresh
        self.force = force
    }

    public func run(reporter: Reporter) throws -> ComparisonOutcome {
        let space = request.space
        let seed = request.settings.seed

        // Every table first: a missing one is refused before anything is searched or written.
        var compared: [ComparedDevice] = []
        for device in devices {
            let path = try catalog.tablePath(device: device, space: space.name)
            let table = try CostTable.read(from: URL(fileURLWithPath: path))
            compared.append(ComparedDevice(id: device, table: table, tablePath: path,
                                           counters: ComparedDevice.counters(ofProfiles: table.profiles, tablePath: path)))
        }
        for pair in zip(compared, compared.dropFirst()) {
            try DeviceComparer.checkComparable(pair.0, pair.1, space: space)
        }
        try AtomicFile.checkWritable(folder: folder)

        try RunLocks.resultsFolder(folder)

        // Pareto sets: a device's saved set stands for it when it was searched with the settings
        // this comparison searches with; a device without one is searched now. A set that is
        // broken or of other settings is refused before anything is searched, unless --force
        // (search it again and replace it) or --fresh (search every device now).
        let plan = try SearchPlan(request, reporter: reporter)
        var pending: [(index: Int, search: DeviceSearch, write: Bool)] = []
        for index in compared.indices {
            let device = compared[index].id
            let deviceSearch = try plan.search(device: device, table: compared[index].table,
                                               tablePath: compared[index].tablePath, warn: reporter.warn)
            let jsonURL = ParetoSet.url(folder: folder, device: device, extension: "json")
            switch try SavedSet.of(device: device, search: deviceSearch, folder: folder, space: space.name) {
            case .missing:
                pending.append((index, deviceSearch, true))
            case .reusable(let set):
                if fresh {
                    // The same settings and seed: the search made now is the saved one again.
                    pending.append((index, deviceSearch, false))
                } else {
                    compared[index].pareto = set
                }
                compared[index].paretoPath = jsonURL.relativePath
            case .unusable(let reason):
                guard force || fresh else {
                    throw HwnasError("\(reason); pass --force to search \(device) again and replace its set, or --fresh to search every device now and keep the saved sets")
                }
                pending.append((index, deviceSearch, force))
                if !force { reporter.say("\(device): its saved set is not used (\(reason)); searched now, not saved (--force replaces it)") }
            }
        }
        var repeats: [String: ParetoSet] = [:]
        for (index, deviceSearch, write) in pending {
            let device = compared[index].id
            let set = try deviceSearch.run { p in
                reporter.progress("searching \(space.name) on \(device): generation \(p.generation)/\(p.generations)")
            }
            reporter.progressDone()
            compared[index].pareto = set
            if write {
                let paths = try set.write(to: folder, space: space)
                compared[index].paretoPath = paths[0]
                reporter.say("searched \(device): \(set.front.count) sub-networks on the front, written to \(paths[0])")
            } else {
                reporter.say("searched \(device): \(set.front.count) sub-networks on the front")
            }
            // The same search with the next seed, scored at this set's reference: how much two
            // runs of the search differ, the yardstick for a loss between devices.
            var again = deviceSearch
            again.settings.seed = seed &+ 1
            again.reference = set.reference
            repeats[device] = try again.run()
        }

        let comparer = DeviceComparer(space: space, sampleSize: sampleSize, seed: seed)
        var comparisons: [DeviceComparison] = []
        var written: [String] = []
        for i in compared.indices {
            for j in compared.indices where j > i {
                let a = compared[i], b = compared[j]
                let comparison = try comparer.compare(a, b, repeatOfSecond: repeats[b.id])
                let base = "compare-\(a.id)-vs-\(b.id)"
                var svgs: [String] = []
                if let pa = a.pareto, let pb = b.pareto {
                    let moved = try pa.front.map { try comparer.transfer($0, to: b) }
                    if let svg = ComparisonCharts.fronts(own: pb, transferred: moved, first: a.id, second: b.id) {
                        try AtomicFile.write(svg, to: folder.appendingPathComponent("\(base).svg"))
                        svgs.append("\(base).svg")
                    }
                }
                try AtomicFile.write(ComparisonCharts.ratios(comparison), to: folder.appendingPathComponent("\(base).blocks.svg"))
                svgs.append("\(base).blocks.svg")
                try AtomicFile.write(JSONFormat.encode(comparison), to: folder.appendingPathComponent("\(base).json"))
                try AtomicFile.write(ComparisonMarkdown.render(comparison, svgNames: svgs), to: folder.appendingPathComponent("\(base).md"))
                written.append(folder.appendingPathComponent("\(base).md").relativePath)
                comparisons.append(comparison)
            }
        }
        if compared.count >= 3 {
            let url = folder.appendingPathComponent("compare-summary.md")
            try AtomicFile.write(ComparisonSummary.render(comparisons, space: space.name), to: url)
            written.append(url.relativePath)
        }
        return ComparisonOutcome(comparisons: comparisons, written: written)
    }
}
