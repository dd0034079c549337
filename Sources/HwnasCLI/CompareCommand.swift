import ArgumentParser
import Foundation
import Search
import Support
import SuperNet
import Workflows

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
        try search.checkReference(common.reference)
    }

    func run() throws {
        let space = try SearchSpaces.named(space)
        let run = ComparisonRun(request: try search.request(space: space, common: common), devices: devices,
                                catalog: folders.catalog(), folder: folders.results(space: space.name), sampleSize: sample,
                                fresh: fresh, force: force)
        let outcome = try run.run(reporter: .console(quiet: quiet || json))
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(outcome.comparisons))
        } else if !quiet {
            for comparison in outcome.comparisons {
                let machine = { (device: String) in comparison.machines?[device].map { " (machine \($0))" } ?? "" }
                print("\(comparison.first)\(machine(comparison.first)) vs \(comparison.second)\(machine(comparison.second)):")
                for finding in comparison.findings { print("  - \(finding)") }
            }
            print("reports: \(outcome.written.joined(separator: ", "))")
        }
    }
}
