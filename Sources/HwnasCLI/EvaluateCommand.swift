import ArgumentParser
import CostModel
import Datasets
import Foundation
import Hardware
import Predictors
import Profiler
import Runtime
import Search
import SuperNet
import Support
import Workflows

/// `hwnas evaluate`: what each sub-network of a file costs: MACs and parameters, latency
/// predicted by a cost table, and latency measured here.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Print MACs, parameters, and predicted or measured latency of sub-networks read from a file.",
        discussion: """
            FILE is a DyNAS-T results CSV (its 'Sub-network' column) or JSON lines, one \
            sub-network per line, in DyNAS-T's dict syntax or hwnas's JSON form:
              {'wid': None, 'ks': [...20], 'e': [...20], 'd': [...5], 'r': [224]}
              {"ks":[...20],"e":[...20],"d":[...5],"r":224}
            A malformed row stops with an error naming the file, line and field; nothing is clamped.

            MACs count the multiply-accumulates of convolutions, linear layers and attention \
            products; parameters count weights, biases and normalisation scale and shift (batch-norm \
            running statistics excluded). On the OFA space they reproduce DyNAS-T's figures exactly.

            --lut adds the latency a cost table predicts (calibrated when the table was validated); \
            --measure times each sub-network end to end here, pinned, with the profiler's method, \
            so anyone can check a table on their own sub-networks. When the table was made on \
            another machine than this one, both are named in a warning on stderr, and every row \
            says which machine the table is of (JSON 'tableMachine', column 'table machine').

            --predictor adds the accuracy a saved predictor predicts; --accuracy-data fits one on \
            measured sub-networks (DyNAS-T CSVs) or reuses the one saved in \
            <predictors-dir>/<space>.predictor.json when it was fitted on the same data, and says \
            which on stderr (see `hwnas predictor fit`).

            --checkpoint DIR --task sst2 adds the accuracy measured by running DIR's weights \
            (hwnas finetune --out) as each sub-network on --split: dev (dev.tsv, the default here, \
            what reported figures are on) or val (the last 2,000 phrases of train.tsv, never \
            trained on, what searches select on). Measurements are cached in \
            DIR/accuracy/<task>.<split>.<data hash>.jsonl (its first line holds the sha256 of \
            DIR/model.safetensors; a cache of other weights is refused), so repeats are free.

            --csv FILE also writes the rows as a DyNAS-T results CSV (Sub-network, Date, Model \
            Parameters, Latency (ms), MACs, the space's metric): latency predicted by --lut (0 \
            without), the metric measured by --checkpoint (0 without: never a predicted value), \
            then the split, the sha256 of the checkpoint's weights and of the table.

            --logits FILE (with --checkpoint) also writes the logits each accuracy comes from, one \
            JSON line per sub-network, to hold another runtime's outputs against (e.g. a model of \
            `hwnas export --checkpoint`).

            Examples:
              hwnas evaluate --space ofa-mbv3-w1.0 --subnets results.csv
              hwnas evaluate --space bert-base --subnets subnets.jsonl --json
              hwnas evaluate --space bert-base --subnets s.jsonl --lut t.json --measure
              hwnas evaluate --space ofa-mbv3-w1.0 --subnets s.jsonl --accuracy-data a.csv
              hwnas evaluate --space minilm-l6 --subnets s.jsonl --checkpoint runs/it --task sst2 --split dev
            """
    )

    @Option(help: "The search space (see `hwnas spaces`).", completion: Completions.space)
    var space: String

    @Option(help: ArgumentHelp("Sub-networks: a DyNAS-T CSV or JSON lines.", valueName: "file"), completion: Completions.subnets)
    var subnets: String

    @Option(help: ArgumentHelp("A cost table: adds the predicted latency.", valueName: "file"), completion: Completions.json)
    var lut: String?

    @Flag(help: "Measure each sub-network's latency here (pinned; threads, cores and runtime from --lut, else one core, native).")
    var measure = false

    @Option(help: ArgumentHelp("With --measure: the runtime that runs the sub-networks (native or onnxruntime; default: --lut's).", valueName: "name"),
            completion: .list(Runtimes.names))
    var runtime: String?

    @Option(help: "Measurement budget per sub-network for --measure: quick, standard or thorough.")
    var budget: MeasurementBudget = .standard

    @Option(name: .customLong("accuracy-data"), parsing: .upToNextOption,
            help: ArgumentHelp("DyNAS-T CSVs with measured accuracy: adds the predicted accuracy (fits a predictor or reuses the saved one).", valueName: "file"), completion: Completions.csv)
    var accuracyData: [String] = []

    @Option(help: ArgumentHelp("A saved accuracy predictor: adds the predicted accuracy.", valueName: "file"), completion: Completions.json)
    var predictor: String?

    @Option(name: .customLong("predictors-dir"), help: "Folder of saved predictors for --accuracy-data.")
    var predictorsDir = "predictors"

    @Option(help: ArgumentHelp("A fine-tuned run folder (hwnas finetune --out): adds the accuracy measured on --task's dev split.", valueName: "folder"),
            completion: .directory)
    var checkpoint: String?

    @Option(help: "The task of --checkpoint's measured accuracy: sst2.")
    var task: String?

    @Option(help: ArgumentHelp("The split --checkpoint's accuracy is measured on: dev or val.", valueName: "split"))
    var split: String = "dev"

    @Option(help: ArgumentHelp("The folder holding the task's train.tsv and dev.tsv.", valueName: "folder"), completion: .directory)
    var data: String = SST2Task.defaultFolder

    @Option(help: ArgumentHelp("With --checkpoint: write the --split logits of each sub-network to this file, JSON lines {subnet, accuracy, labels, logits}.", valueName: "file"))
    var logits: String?

    @Option(help: ArgumentHelp("Also write the rows as a DyNAS-T results CSV (measured accuracy, predicted latency).", valueName: "file"))
    var csv: String?

    @Flag(help: "Print a JSON array of {subnet, macs, params, predictedLatencyMs?, measuredLatencyMs?, tableMachine?, predictedAccuracy?, measuredAccuracy?, accuracySplit?}.")
    var json = false

    func validate() throws {
        if predictor != nil && !accuracyData.isEmpty {
            throw ValidationError("give either --predictor or --accuracy-data, not both")
        }
        if checkpoint != nil, let task, task != "sst2" { throw ValidationError("--task \(task): measured accuracy knows sst2 only") }
        if task != nil && checkpoint == nil { throw ValidationError("--task needs --checkpoint") }
        if logits != nil && checkpoint == nil { throw ValidationError("--logits needs --checkpoint") }
        if let runtime {
            guard measure else { throw ValidationError("--runtime chooses what --measure runs on; give --measure") }
            guard Runtimes.names.contains(runtime) else {
                throw ValidationError("--runtime '\(runtime)': this build has \(Runtimes.names.joined(separator: ", "))")
            }
        }
        if !["dev", "val"].contains(split) { throw ValidationError("--split \(split): dev or val (train is what the checkpoint was trained on)") }
    }

    struct Evaluation: Encodable {
        var subnet: SubnetJSON
        var macs: Int
        var params: Int
        var predictedLatencyMs: Double?
        var interpolated: Bool?
        var measuredLatencyMs: Double?
        /// The machine of --lut's table, when it is not this machine: predicted and measured
        /// latencies are then of different machines.
        var tableMachine: String?
        var predictedAccuracy: Double?
        /// Accuracy in percent on the task's `accuracySplit`, of --checkpoint run as this sub-network.
        var measuredAccuracy: Double?
        var accuracySplit: String?
        /// Examples right and in all, and the cache file the measurement is in.
        var correct: Int?
        var examples: Int?
        var accuracyCache: String?
        /// Which examples were right (bit i of the hexadecimal bytes, little-endian within a byte).
        var correctBits: String?
    }

    func run() throws {
        let space = try SearchSpaces.named(space)
        let file = try SubnetFile(url: URL(fileURLWithPath: subnets), space: space)
        let table = try lut.map { try CostTable.read(from: URL(fileURLWithPath: $0)) }
        if let table, table.space != space.name {
            throw HwnasError("\(lut!) is a cost table of '\(table.space)', not '\(space.name)'")
        }
        if let warning = table?.unvalidatedWarning {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        let lookup = table?.lookup
        let accuracyPredictor = try loadPredictor(space: space)
        if let accuracyPredictor {
            let unseen = file.rows.filter { !accuracyPredictor.unseenValues(in: $0.subnet).isEmpty }
            if let first = unseen.first, let slot = accuracyPredictor.unseenValues(in: first.subnet).first {
                FileHandle.standardError.write(Data("warning: \(unseen.count) sub-network\(unseen.count == 1 ? "" : "s") (the first on line \(first.line)) set genes the predictor's data never varied (\(slot.gene)[\(slot.slot)] was always \(slot.value)); their predicted accuracy is an extrapolation\n".utf8))
            }
        }
        var evaluations = try file.rows.map { row in
            let prediction = try table.map { try $0.predict(row.subnet, space: space, lookup: lookup) }
            return Evaluation(subnet: SubnetJSON(space: space, subnet: row.subnet),
                              macs: space.macs(of: row.subnet, settings: table?.settings.spaceSettings),
                              params: space.params(of: row.subnet),
                              predictedLatencyMs: prediction?.latencyMs, interpolated: prediction.map { $0.interpolated ? true : nil } ?? nil,
                              predictedAccuracy: accuracyPredictor?.predict(row.subnet))
        }
        var otherMachine: String?
        if measure, let table {
            let here = MachineID.derive(from: try CPUDescription.current())
            if table.machine.id != here {
                otherMachine = table.machine.id
                FileHandle.standardError.write(Data("warning: \(lut!) is a cost table of machine \(table.machine.id), but this machine is \(here): its predictions are of \(table.machine.id), the measurements of \(here)\n".utf8))
            }
            let current = try Runtimes.named(table.settings.runtime).describe(options: table.settings.executionOptions)
            if let message = table.kernelVariantMismatch(current: current, tableFile: lut!) {
                CostTable.printWarning(message)
            }
        }
        if measure {
            let measured = try measureLatency(file.rows.map(\.subnet), space: space, table: table)
            for i in evaluations.indices {
                evaluations[i].measuredLatencyMs = measured[i]
                evaluations[i].tableMachine = otherMachine
            }
        }
        if let checkpoint {
            let (entries, cache) = try measureAccuracy(file.rows.map(\.subnet), space: space, checkpoint: checkpoint)
            if let logits, let elastic = space as? MiniLML6Space {
                try writeLogits(logits, subnets: file.rows.map(\.subnet), space: elastic, checkpoint: checkpoint)
            }
            for i in evaluations.indices {
                evaluations[i].measuredAccuracy = entries[i].accuracy
                evaluations[i].accuracySplit = split
                evaluations[i].correct = entries[i].correct
                evaluations[i].examples = entries[i].examples
                evaluations[i].accuracyCache = cache
                evaluations[i].correctBits = entries[i].correctBits
            }
        }
        if let csv {
            try writeCSV(csv, rows: file.rows.map(\.subnet), evaluations: evaluations, space: space)
        }
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(evaluations))
            return
        }
        var header = "\("MACs".leftPadded(14))  \("params".leftPadded(11))"
        if table != nil { header += "  \("predicted ms".leftPadded(12))" }
        if measure { header += "  \("measured ms".leftPadded(11))" }
        if let otherMachine { header += "  \("table machine".leftPadded(max(13, otherMachine.count)))" }
        if accuracyPredictor != nil { header += "  \("pred. accuracy".leftPadded(14))" }
        if checkpoint != nil { header += "  \("\(split) accuracy".leftPadded(12))" }
        print(header + "  sub-network")
        for (row, e) in zip(file.rows, evaluations) {
            var line = "\(String(e.macs).leftPadded(14))  \(String(e.params).leftPadded(11))"
            if let p = e.predictedLatencyMs { line += "  " + (String(format: "%.3f", p) + (e.interpolated == true ? "*" : "")).leftPadded(12) }
            if let m = e.measuredLatencyMs { line += "  " + String(format: "%.3f", m).leftPadded(11) }
            if let t = e.tableMachine { line += "  " + t.leftPadded(max(13, t.count)) }
            if let a = e.predictedAccuracy { line += "  " + String(format: "%.3f", a).leftPadded(14) }
            if let a = e.measuredAccuracy { line += "  " + String(format: "%.2f", a).leftPadded(12) }
            print(line + "  " + space.dynastString(row.subnet))
        }
        if evaluations.contains(where: { $0.interpolated == true }) {
            print("* interpolated between the profiled resolutions around it")
        }
    }

    /// The --split accuracy of each sub-network run from --checkpoint's weights (cached), and
    /// the cache file.
    func measureAccuracy(_ subnets: [Subnet], space: any SearchSpace, checkpoint: String) throws -> ([AccuracyCache.Entry], String) {
        guard let elastic = space as? MiniLML6Space else {
            throw HwnasError("--checkpoint: measured accuracy is for minilm-l6 sub-networks; \(space.name) has no fine-tuned checkpoint")
        }
        let measurer = try MeasuredAccuracy(checkpoint: URL(fileURLWithPath: checkpoint), task: task ?? "sst2",
                                            split: SST2Task.Split(rawValue: split)!, data: URL(fileURLWithPath: data), space: elastic)
        let progress = ProgressLine(enabled: !json)
        defer { progress.finish() }
        let entries = try subnets.enumerated().map { index, subnet in
            progress.update("\(split) accuracy: \(index)/\(subnets.count) sub-networks")
            return try measurer.measure(subnet)
        }
        progress.finish()
        if !json {
            FileHandle.standardError.write(Data("accuracy on \(measurer.splitDescription): \(measurer.measured) measured, \(subnets.count - measurer.measured) from \(measurer.cache.url.relativePath)\n".utf8))
        }
        return (entries, measurer.cache.url.relativePath)
    }

    /// --logits: the logits each sub-network's accuracy comes from, on --split, one JSON line per
    /// sub-network (not cached: the cache keeps which examples were right, not the logits).
    func writeLogits(_ path: String, subnets: [Subnet], space: MiniLML6Space, checkpoint: String) throws {
        let model = try FineTunedCheckpoint(folder: URL(fileURLWithPath: checkpoint))
        let examples = try SST2Task(folder: URL(fileURLWithPath: data)).examples(SST2Task.Split(rawValue: split)!)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines = ""
        for subnet in subnets {
            let shape = space.elasticShape(of: subnet)
            let values = try model.logits(on: examples, layers: shape.layers, heads: shape.heads, intermediate: shape.intermediate)
            // The accuracy by the rule of the accuracy itself: the first largest logit is the prediction.
            let correct = zip(values, examples).filter { row, example in row.firstIndex(of: row.max()!) == example.label }.count
            let record = DevLogits(subnet: SubnetJSON(space: space, subnet: subnet), accuracy: 100 * Double(correct) / Double(examples.count),
                                   labels: examples.map(\.label), logits: values)
            lines += String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
        }
        try AtomicFile.write(lines, to: URL(fileURLWithPath: path))
    }

    /// One line of --logits.
    struct DevLogits: Encodable {
        var subnet: SubnetJSON
        var accuracy: Double
        var labels: [Int]
        var logits: [[Float]]
    }

    /// The rows as a DyNAS-T results CSV, with the split and the checkpoint's and table's sha256.
    func writeCSV(_ path: String, rows: [Subnet], evaluations: [Evaluation], space: any SearchSpace) throws {
        let checkpointSha = try checkpoint.map { folder -> String in
            let url = URL(fileURLWithPath: folder).appendingPathComponent("model.safetensors")
            guard let hex = SHA256.hex(ofFile: url) else { throw HwnasError("cannot read \(url.path)") }
            return hex
        } ?? ""
        let tableSha = lut.flatMap { SHA256.hex(ofFile: URL(fileURLWithPath: $0)) } ?? ""
        var lines = ["Sub-network,Date,Model Parameters,Latency (ms),MACs,\(CSVTable.quoted(space.metricColumn)),Split,Checkpoint sha256,Table sha256"]
        let date = Timestamp.now().replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        for (subnet, e) in zip(rows, evaluations) {
            lines.append([
                CSVTable.quoted(space.dynastString(subnet)), date, "\(e.params)",
                e.predictedLatencyMs.map { String(format: "%.4f", $0) } ?? "0", "\(e.macs)",
                e.measuredAccuracy.map { String(format: "%.4f", $0) } ?? "0",
                e.accuracySplit ?? "", checkpointSha, tableSha,
            ].joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: URL(fileURLWithPath: path))
    }

    /// The predictor of --predictor, or the one --accuracy-data fits or reuses.
    func loadPredictor(space: any SearchSpace) throws -> AccuracyPredictor? {
        if let predictor {
            let loaded = try AccuracyPredictor.read(from: URL(fileURLWithPath: predictor))
            guard loaded.space == space.name else {
                throw HwnasError("\(predictor) is a predictor of '\(loaded.space)', not '\(space.name)'")
            }
            return loaded
        }
        guard !accuracyData.isEmpty else { return nil }
        let url = PredictorStore.defaultURL(space: space.name, folder: URL(fileURLWithPath: predictorsDir))
        return try PredictorStore.fitOrReuse(space: space, accuracyFiles: accuracyData.map { URL(fileURLWithPath: $0) }, at: url) { note in
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }.predictor
    }

    /// Median latency of each sub-network, measured pinned with the profiler's methodology.
    func measureLatency(_ subnets: [Subnet], space: any SearchSpace, table: CostTable?) throws -> [Double] {
        let topology = try Topology.current()
        try BuildTarget.current.requireRunnable(on: try CPUDescription.current())
        let threads = table?.settings.threads ?? 1
        let pus = try table?.settings.cores ?? PinnedDevice.defaultPUs(threads: threads, topology: topology)
        let options = ExecutionOptions(batch: table?.settings.batch ?? 1, threads: threads, gemm: table?.settings.gemm)
        let settings = table?.settings.spaceSettings ?? space.defaultSettings
        let measuredWith = table?.settings.runtime?.name ?? RuntimeDescription.nativeName
        if let chosen = self.runtime, let table, chosen != measuredWith {
            throw HwnasError("--runtime \(chosen), but \(lut ?? "the table") (device \(table.device)) was measured with \(measuredWith): measure with its runtime, or give a table of \(chosen)")
        }
        let runtime = try self.runtime.map(Runtimes.make) ?? Runtimes.named(table?.settings.runtime)
        let items = subnets.enumerated().map { index, subnet in
            ProfileWorkItem(subnet: subnet, space: space, settings: settings, runtime: runtime, options: options,
                            key: "\(index)", seed: UInt64(index) &+ 11)
        }
        let journalURL = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-evaluate-\(getpid()).journal")
        let progress = ProgressLine(enabled: !json)
        try RunLocks.processingUnits(pus)
        // The journal is scratch: removed on success, on failure and on Ctrl-C alike.
        let cleanup = InterruptCleanup(removing: journalURL, progress: progress)
        cleanup.arm()
        defer {
            cleanup.disarm()
            try? FileManager.default.removeItem(at: journalURL)
        }
        let entries = try PinnedDevice.run(pus: pus, topology: topology) {
            let journal = try ProfileJournal(url: journalURL, fingerprint: "evaluate", restart: true)
            return try ProfileRunner(budget: budget, events: [], reference: nil, chunkSize: 4) { done, total, elapsed in
                progress.update("measuring: \(done)/\(total) sub-networks, \(ProfileCommand.duration(elapsed))")
            }.run(items, journal: journal)
        }
        progress.finish()
        return entries.map(\.stats.medianMs)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
