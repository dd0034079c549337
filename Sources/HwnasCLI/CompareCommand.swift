import ArgumentParser
import CostModel
import Foundation
import Reports
import Search
import Support
import SuperNet

/// `hwnas compare`: how devices differ on one space, and what the wrong device's Pareto set costs.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare devices on a space: block ratios, rank correlation, Pareto sets and the cost of the wrong one.",
        discussion: """
            For each pair of devices A, B (in the order given) hwnas reads both cost tables and reports:
              - every block configuration's latency on both and the ratio B/A, sorted by the ratio \
            over the median ratio, so blocks that are relatively cheap on one device and dear on \
            the other stand out (with the counters both devices counted);
              - Kendall tau and Spearman rho of predicted latency over --sample random \
            sub-networks, and the sub-networks whose rank moves most;
              - the Pareto sets of both (read from --results-dir, else searched now with the \
            options below and written there): their overlap, the hypervolume B loses by deploying \
            A's set, and at latency budgets on B the accuracy (or MACs) given up by picking from A's set.

            A saved set is used only when it was searched with the settings given here \
            (objectives, population, generations, seed, constraints, reference, the same \
            predictor and cost table, checked by SHA-256) and its CSV and SVG are the ones its \
            JSON records; otherwise compare refuses, naming the set and the first difference: \
            --force searches that device again and replaces its set, --fresh searches every \
            device now without replacing saved sets. Devices of different machines are compared \
            as well; the report names each device's machine.

            Writes <results-dir>/<space>/compare-<A>-vs-<B>.{md,json,svg} and \
            compare-<A>-vs-<B>.blocks.svg; with three devices or more, one set per pair and \
            compare-summary.md.

            Examples:
              hwnas compare --space bert-base --device amd-zen3-t1 --device amd-zen3-t2
              hwnas compare --space ofa-mbv3-w1.0 --device amd-zen3-t1 \\
                  --device amd-zen3-t2 --accuracy-data data/ofa-mbv3-accuracy/*.csv
              hwnas compare --space bert-base --device A --device B --device C --json
            """
    )

    @Option(help: "The search space (see `hwnas spaces`).", completion: Completions.space)
    var space: String

    @Option(name: .customLong("device"), help: ArgumentHelp("A device (repeat; two or more; see `hwnas devices`).", valueName: "id"), completion: Completions.device)
    var devices: [String] = []

    @OptionGroup var folders: DeviceFolderOptions

    @Option(help: "Random sub-networks for the rank correlation.")
    var sample = 500

    @OptionGroup(title: "Searching Pareto sets that are not in --results-dir")
    var search: SpaceSearchOptions

    @OptionGroup var common: SearchCommand.Options

    var json: Bool { common.json }

    @Flag(help: "Search every device now, even when its Pareto set is in --results-dir, and once more with the next seed to measure the search's own spread; saved sets are kept (--force replaces those that differ).")
    var fresh = false

    @Flag(help: "Search again and replace a saved Pareto set that cannot be used: broken, mixed, or searched with other settings.")
    var force = false

    @Flag(help: "No progress and no summary.")
    var quiet = false

    func validate() throws {
        guard devices.count >= 2 else { throw ValidationError("give two or more --device") }
        guard Set(devices).count == devices.count else { throw ValidationError("a --device is given twice") }
        guard sample >= 10 else { throw ValidationError("--sample must be at least 10") }
    }

    func run() throws {
        let space = try SearchSpaces.named(space)
        let catalog = folders.catalog()
        let folder = folders.results(space: space.name)
        let progress = ProgressLine(enabled: !quiet && !json)
        func warn(_ text: String) { FileHandle.standardError.write(Data("warning: \(text)\n".utf8)) }

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
        let say: (String) -> Void = { if !quiet && !json { print($0) } }
        let plan = try search.plan(space: space, specs: try search.objectiveSpecs(space: space), common: common, warn: warn, say: say)
        var pending: [(index: Int, search: DeviceSearch, write: Bool)] = []
        for index in compared.indices {
            let device = compared[index].id
            let deviceSearch = try plan.search(device: device, table: compared[index].table,
                                               tablePath: compared[index].tablePath, warn: warn)
            let jsonURL = ParetoSet.url(folder: folder, device: device, extension: "json")
            switch try savedSet(device: device, search: deviceSearch, folder: folder, space: space.name) {
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
                if !force { say("\(device): its saved set is not used (\(reason)); searched now, not saved (--force replaces it)") }
            }
        }
        var repeats: [String: ParetoSet] = [:]
        for (index, deviceSearch, write) in pending {
            let device = compared[index].id
            let set = try deviceSearch.run { p in
                progress.update("searching \(space.name) on \(device): generation \(p.generation)/\(p.generations)")
            }
            progress.finish()
            compared[index].pareto = set
            if write {
                let paths = try set.write(to: folder, space: space)
                compared[index].paretoPath = paths[0]
                say("searched \(device): \(set.front.count) sub-networks on the front, written to \(paths[0])")
            } else {
                say("searched \(device): \(set.front.count) sub-networks on the front")
            }
            // The same search with the next seed, scored at this set's reference: how much two
            // runs of the search differ, the yardstick for a loss between devices.
            var again = deviceSearch
            again.settings.seed = common.seed &+ 1
            again.reference = set.reference
            repeats[device] = try again.run()
        }

        let comparer = DeviceComparer(space: space, sampleSize: sample, seed: common.seed)
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
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(comparisons))
        } else if !quiet {
            for comparison in comparisons {
                let machine = { (device: String) in comparison.machines?[device].map { " (machine \($0))" } ?? "" }
                print("\(comparison.first)\(machine(comparison.first)) vs \(comparison.second)\(machine(comparison.second)):")
                for finding in comparison.findings { print("  - \(finding)") }
            }
            print("reports: \(written.joined(separator: ", "))")
        }
    }

    /// What `--results-dir` holds for a device.
    enum SavedSet {
        case missing
        case reusable(ParetoSet)
        /// Broken, mixed, or searched with other settings: why, naming the file.
        case unusable(String)
    }

    func savedSet(device: String, search: DeviceSearch, folder: URL, space: String) throws -> SavedSet {
        let set: ParetoSet
        do {
            guard let saved = try ParetoSet.readSaved(folder: folder, device: device, space: space) else { return .missing }
            set = saved
        } catch let error as HwnasError {
            return .unusable(error.message)
        }
        if let difference = search.differenceFrom(saved: set) {
            let path = ParetoSet.url(folder: folder, device: device, extension: "json").relativePath
            return .unusable("\(path) was searched with other settings than this comparison's (\(difference))")
        }
        return .reusable(set)
    }
}
