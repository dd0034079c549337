import ArgumentParser
import Foundation
import Optimization
import Search
import Support
import SuperNet
import Workflows

/// `hwnas search`: NSGA-II over a space with per-device cost objectives (`--space`), or on the
/// standard test problems (`--problem`), which check the optimiser against published results
/// and pymoo.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the Pareto set of a space on each device with NSGA-II (or a test problem's front).",
        discussion: """
            --space S --device ID... searches the space once per device, with the same settings: \
            objectives from --objectives (accuracy, latency, macs, params), latency predicted by \
            the device's cost table (calibrated), MACs and parameters counted, accuracy predicted \
            by a predictor fitted on DyNAS-T results (--accuracy-data) or saved (--predictor). \
            When the accuracy data cover one resolution only (the OFA CSVs: 224 px), the search \
            keeps the resolution there and says so. --max/--min bound any objective (constrained \
            domination: feasible first, then the smaller violation). Writes per device \
            <results-dir>/<space>/<device>.pareto.json, .csv (DyNAS-T's columns) and .svg \
            (the CSV and SVG first, then the JSON with their SHA-256); a device whose set is \
            there already is refused unless --force is given. --export-front DIR then exports \
            every member of each front as `hwnas export` does, into DIR/<device>/<NN>/ \
            (--export-format onnx or safetensors; seeded weights, or --export-checkpoint's \
            fine-tuned ones), with DIR/<device>/front.json listing them.

            --problem runs NSGA-II on a standard test problem (\(TestProblem.names.joined(separator: ", "))) \
            as pymoo 0.6 runs NSGA2 with eliminate_duplicates=True: binary tournaments on \
            constrained domination then crowding distance, SBX (p 0.9, eta 15) and polynomial \
            mutation (eta 20), duplicates made again, elitist survival by non-dominated front and \
            crowding distance. The initial population counts as the first generation, so a run \
            evaluates population x generations genomes. The same seed gives the same result.

            It prints the final front's size and hypervolume at --reference (default: the \
            problem's customary point, 1.1 x its true front's nadir point) and the time of the \
            optimisation alone. --json adds the front, the hypervolume after every generation and \
            the true front's hypervolume where it is known. Hypervolumes are exact for 2 and 3 \
            objectives and Monte Carlo estimates, with their standard error, from 4 on.

            --checkpoint DIR --task sst2 makes accuracy the accuracy measured by running DIR's \
            weights (hwnas finetune --out) as each sub-network, on --split val (the last 2,000 \
            phrases of train.tsv, never trained on; the default) or dev; measurements are cached \
            in DIR/accuracy/ (see `hwnas evaluate`), and a search that could measure more than \
            500 sub-networks is refused with the time it could take. --loop K \
            --measure-per-round N runs the measure-refit-search loop instead: N sub-networks \
            measured (the smallest, the largest, random ones), a predictor fitted on them, NSGA-II \
            on predicted accuracy and the table's latency, N of its front measured, refitted, K \
            times; each round prints the predictor's Kendall tau on the front members it had not \
            seen. It writes <device>.pareto.{json,csv,svg} (the CSV's accuracy is the measured one, \
            0 where a member was not measured; the JSON has measured and predicted, named), \
            <device>.loop.json, .loop-archive.csv and .loop-predictor.json.

            Examples:
              hwnas search --space ofa-mbv3-w1.0 --device amd-zen3-t1 \\
                  --device amd-zen3-t2 --objectives accuracy,latency \\
                  --accuracy-data data/ofa-mbv3-accuracy/*.csv
              hwnas search --space bert-base --device amd-zen3-t1 \\
                  --objectives latency,macs:max
              hwnas search --space ofa-mbv3-w1.0 --device amd-zen3-t1 \\
                  --predictor p.json --objectives accuracy,latency,macs \\
                  --max latency=10ms --min accuracy=76
              hwnas search --space minilm-l6 --device amd-zen4-t1 --checkpoint runs/it \\
                  --task sst2 --loop 4 --measure-per-round 20
              hwnas search --problem zdt1
              hwnas search --problem dtlz2 --objectives-count 3 --seed 7 --json
              hwnas search --problem zdt3 --population 50 --generations 400 --reference 1,1
            """
    )

    /// The options of every search mode.
    struct Options: ParsableArguments {
        @Option(help: "Individuals per generation (at least 4).")
        var population = 100

        @Option(help: "Generations, the initial population counting as the first.")
        var generations = 200

        @Option(help: "Random seed.")
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("Hypervolume reference point, one value per objective (default: the problem's).", valueName: "v1,v2,..."),
                transform: ReferencePoint.init(parsing:))
        var reference: ReferencePoint?

        @Flag(help: "Print the result as JSON.")
        var json = false

        /// The run must fit in memory, whatever the problem or space: checked with the largest
        /// genome and objective count any of them has.
        func validate() throws {
            let genomeLength = max(TestProblem.largestGenomeLength, SearchSpaces.all.map(\.genomeLength).max() ?? 0)
            try checkFitsMemory(genomeLength: genomeLength, objectivesCount: TestProblem.maximumObjectivesCount,
                                memoryBytes: Double(ProcessInfo.processInfo.physicalMemory))
        }

        /// Refuses a population and generation count whose run would not fit in `memoryBytes`,
        /// naming the flag at fault and the largest value that fits.
        func checkFitsMemory(genomeLength: Int, objectivesCount: Int, memoryBytes: Double) throws {
            guard population >= 4, generations >= 1 else { return }
            let settings = NSGA2Settings(population: population, generations: generations, seed: seed)
            let needed = settings.peakBytes(genomeLength: genomeLength, objectivesCount: objectivesCount)
            guard needed > memoryBytes else { return }
            let memory = "this machine's \(Self.bytes(memoryBytes)) of memory"
            let largest = settings.largestPopulation(genomeLength: genomeLength, objectivesCount: objectivesCount, memoryBytes: memoryBytes)
            if largest >= 4 {
                let alone = NSGA2Settings(population: population, generations: 1, seed: seed)
                    .peakBytes(genomeLength: genomeLength, objectivesCount: objectivesCount) > memoryBytes
                let flag = alone ? "--population \(population)" : "--population \(population) with --generations \(generations)"
                throw ValidationError("\(flag): the run would hold about \(Self.bytes(needed)) of genomes, objectives and fronts, more than \(memory); at most \(largest) individuals fit at \(generations) generations")
            }
            let perGeneration = 24 + Double(population) * Double(8 * objectivesCount + 40)
            let fixed = NSGA2Settings(population: population, generations: 0, seed: seed)
                .peakBytes(genomeLength: genomeLength, objectivesCount: objectivesCount)
            let most = max(0, Int(min((memoryBytes - fixed) / perGeneration, Double(Int.max / 2))))
            throw ValidationError("--generations \(generations): every generation's front is kept for the hypervolume history, about \(Self.bytes(needed)) in all, more than \(memory); at most \(most) generations fit at population \(population)")
        }

        /// `23.4 GB`, `1.2 PB`.
        static func bytes(_ value: Double) -> String {
            var scaled = value
            for unit in ["B", "kB", "MB", "GB", "TB", "PB", "EB"] {
                if scaled < 1000 || unit == "EB" { return String(format: unit == "B" ? "%.0f" : "%.1f", scaled) + " " + unit }
                scaled /= 1000
            }
            return "\(value) B"
        }

        /// NSGA-II's settings, checked.
        func settings() throws -> NSGA2Settings {
            let settings = NSGA2Settings(population: population, generations: generations, seed: seed)
            do {
                try settings.validate()
            } catch let error as HwnasError {
                throw HwnasError("--\(error.message)")
            }
            return settings
        }
    }

    @Option(help: ArgumentHelp("A standard test problem: \(TestProblem.names.joined(separator: ", ")).", valueName: "name"))
    var problem: String?

    @Option(name: .customLong("objectives-count"), help: ArgumentHelp("Objectives of a DTLZ problem (default 3; ZDT problems have 2).", valueName: "M"))
    var objectivesCount: Int?

    @Option(help: "The search space (see `hwnas spaces`).", completion: Completions.space)
    var space: String?

    @Option(name: .customLong("device"), help: ArgumentHelp("A device with a cost table of the space (repeat for several; see `hwnas devices`).", valueName: "id"), completion: Completions.device)
    var devices: [String] = []

    @OptionGroup var folders: DeviceFolderOptions

    @OptionGroup(title: "Search-space options")
    var spaceOptions: SpaceSearchOptions

    @OptionGroup var options: Options

    @Flag(help: "Replace a device's Pareto set that is already in --results-dir (search-space mode).")
    var force = false

    @Flag(help: "No progress line and no summary (search-space mode).")
    var quiet = false

    @Option(name: .customLong("export-front"),
            help: ArgumentHelp("Export every member of each front, as `hwnas export` does, into <folder>/<device>/<NN>/ (search-space mode).", valueName: "folder"),
            completion: .directory)
    var exportFront: String?

    @Option(name: .customLong("export-format"), help: "The format of --export-front: onnx or safetensors.")
    var exportFormat: SubnetExport.Format = .onnx

    @Option(name: .customLong("export-checkpoint"),
            help: ArgumentHelp("A fine-tuned run folder whose weights --export-front exports (default: seeded random weights).", valueName: "folder"),
            completion: .directory)
    var exportCheckpoint: String?

    func validate() throws {
        if let objectivesCount, objectivesCount > TestProblem.maximumObjectivesCount {
            throw ValidationError("--objectives-count \(objectivesCount): at most \(TestProblem.maximumObjectivesCount): \(TestProblem.objectivesLimitReason)")
        }
        // The reference point has one value per objective: the problem's, or --objectives'. A
        // problem that does not exist is refused by run(), naming the problems there are.
        if let problem, space == nil {
            if let known = try? TestProblem.named(problem, objectivesCount: objectivesCount) {
                try options.reference?.check(objectivesCount: known.objectivesCount, of: known.name)
            }
        } else if space != nil {
            try spaceOptions.checkReference(options.reference)
            try spaceOptions.checkMeasured()
        }
        if exportFront == nil && (exportCheckpoint != nil || exportFormat != .onnx) {
            throw ValidationError("--export-format and --export-checkpoint go with --export-front")
        }
        if exportFront != nil && space == nil {
            throw ValidationError("--export-front exports the fronts of a search space (--space)")
        }
        if spaceOptions.loop != nil {
            if options.reference != nil {
                throw ValidationError("--reference: the loop's hypervolume is of its measured front; it takes no reference point")
            }
            if spaceOptions.algorithm != .nsga2 {
                throw ValidationError("--algorithm \(spaceOptions.algorithm.rawValue): the loop searches with nsga2 only")
            }
        }
    }

    func run() throws {
        switch (problem, space) {
        case (let problem?, nil):
            try runProblem(named: problem)
        case (nil, let space?):
            try runSpace(named: space)
        case (.some, .some):
            throw HwnasError("give --space or --problem, not both")
        case (nil, nil):
            throw HwnasError("give --space S --device ID (a search space on devices) or --problem NAME (one of \(TestProblem.names.joined(separator: ", ")))")
        }
    }

    /// One Pareto set per device, each summarised as it is written (a JSON array of them with --json).
    func runSpace(named name: String) throws {
        let space = try SearchSpaces.named(name)
        if let rounds = spaceOptions.loop {
            return try runLoop(space: space, rounds: rounds)
        }
        let quiet = self.quiet || options.json
        let run = SpaceSearchRun(request: try spaceOptions.request(space: space, common: options), devices: devices,
                                 catalog: folders.catalog(), folder: folders.results(space: space.name), force: force)
        let export = try frontExport()
        let sets = try run.run(reporter: .console(quiet: quiet)) { set, paths in
            guard !quiet else { return }
            var line = "\(set.device): \(set.front.count) sub-networks on the front"
            line += String(format: ", hypervolume %.6g%@", set.hypervolume, set.hypervolumeMethod == "exact" ? "" : String(format: " +- %.2g (Monte Carlo)", set.hypervolumeStandardError ?? 0))
            line += " (reference " + zip(set.objectives, set.reference).map { "\($0.kind.rawValue)=\(String(format: "%.4g", $1))" }.joined(separator: ", ") + ")"
            line += String(format: ", %d evaluations in %.2f s", set.settings.evaluations, set.elapsedSeconds)
            print(line)
            print("  wrote \(paths.joined(separator: ", "))")
        }
        if let export { try exportFronts(sets, with: export, space: space, quiet: quiet) }
        if options.json { FileHandle.standardOutput.write(try JSONFormat.encode(sets)) }
    }

    /// --export-front's exporter, its folders checked free before anything is searched.
    func frontExport() throws -> FrontExport? {
        let export = exportFront.map {
            FrontExport(folder: URL(fileURLWithPath: $0), format: exportFormat, checkpoint: exportCheckpoint.map { URL(fileURLWithPath: $0) },
                        force: force)
        }
        try devices.forEach { try export?.checkFree(device: $0) }
        return export
    }

    func exportFronts(_ sets: [ParetoSet], with export: FrontExport, space: any SearchSpace, quiet: Bool) throws {
        for set in sets {
            let progress = ProgressLine(enabled: !quiet)
            let index = try export.write(set, space: space) { done, total in
                progress.update("exporting the front of \(set.device): \(done)/\(total)")
            }
            progress.finish()
            if !quiet { print("\(set.device): exported \(set.front.count) sub-networks (\(export.format.rawValue)) into \(index.deletingLastPathComponent().relativePath)/") }
        }
    }

    /// The measure-refit-search loop on each device in turn.
    func runLoop(space: any SearchSpace, rounds: Int) throws {
        let quiet = self.quiet || options.json
        let reporter = Reporter.console(quiet: quiet)
        let run = MeasuredSearchRun(request: try spaceOptions.request(space: space, common: options), devices: devices,
                                    catalog: folders.catalog(), folder: folders.results(space: space.name), rounds: rounds,
                                    perRound: spaceOptions.measurePerRound, force: force)
        let export = try frontExport()
        var sets: [ParetoSet] = []
        let reports = try run.run(reporter: reporter) { set, report, paths in
            sets.append(set)
            guard !quiet else { return }
            let measured = set.front.filter { $0.measuredAccuracy != nil }.count
            print("\(set.device): \(set.front.count) sub-networks on the last front, \(measured) measured on \(report.split); \(report.archive.count) measured in all (\(report.measuredNow) now, the rest from \(report.accuracyCache))")
            for r in report.roundsDone {
                print(String(format: "  round %d: Kendall tau on %d unseen = %@, CV MAPE %.2f%%", r.round, r.measured, r.kendallTau.map { String(format: "%.3f", $0) } ?? "n/a", r.crossValidatedMape))
            }
            print("  wrote \(paths.joined(separator: ", "))")
        }
        if let export { try exportFronts(sets, with: export, space: space, quiet: quiet) }
        if options.json { FileHandle.standardOutput.write(try JSONFormat.encode(reports)) }
    }

    /// The `--problem --json` document.
    struct ProblemReport: Encodable {
        var problem: String
        var objectivesCount: Int
        var population: Int
        var generations: Int
        var seed: UInt64
        var evaluations: Int
        var elapsedSeconds: Double
        var reference: [Double]
        var hypervolume: Double
        /// Present when the hypervolume is a Monte Carlo estimate (4 or more objectives).
        var hypervolumeStandardError: Double?
        var hypervolumeHistory: [Double]
        var paretoFrontHypervolume: Double?
        var front: [[Double]]
    }

    func runProblem(named name: String) throws {
        let problem = try TestProblem.named(name, objectivesCount: objectivesCount)
        let settings = try options.settings()
        let reference = options.reference?.values ?? problem.referencePoint
        let start = MonotonicClock.now()
        let result = try NSGA2(settings: settings).run(problem)
        let elapsed = MonotonicClock.seconds(since: start)
        let front = result.frontObjectives
        let hypervolume = Hypervolume.of(front, reference: reference)
        // The true front's hypervolume only means something at the point it was computed for.
        let trueHypervolume = reference == problem.referencePoint ? problem.paretoFrontHypervolume : nil
        if options.json {
            let report = ProblemReport(
                problem: problem.name, objectivesCount: problem.objectivesCount, population: settings.population,
                generations: settings.generations, seed: settings.seed, evaluations: result.evaluations, elapsedSeconds: elapsed,
                reference: reference, hypervolume: hypervolume.value, hypervolumeStandardError: hypervolume.standardError,
                hypervolumeHistory: result.hypervolumeHistory(reference: reference).map(\.value),
                paretoFrontHypervolume: trueHypervolume, front: front)
            FileHandle.standardOutput.write(try JSONFormat.encode(report))
            return
        }
        print("\(problem.name): NSGA-II, \(problem.genes.count) genes, \(problem.objectivesCount) objectives, population \(settings.population), \(settings.generations) generations, seed \(settings.seed)")
        print("evaluations  \(result.evaluations)")
        print("front        \(front.count) non-dominated feasible points")
        var line = "hypervolume  " + String(format: "%.6f", hypervolume.value)
        if let error = hypervolume.standardError {
            line += String(format: " +- %.6f (Monte Carlo estimate)", error)
        }
        line += " at reference (\(reference.map { "\($0)" }.joined(separator: ", ")))"
        if let trueHypervolume {
            line += String(format: "; true front %.6f (%.2f%%)", trueHypervolume, 100 * hypervolume.value / trueHypervolume)
        }
        print(line)
        print("time         " + String(format: "%.4f s", elapsed) + " (the optimisation alone)")
    }
}
