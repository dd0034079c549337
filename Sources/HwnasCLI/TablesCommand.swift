import ArgumentParser
import CostModel
import Foundation
import Hardware
import Profiler
import Runtime
import SuperNet
import Support
import Workflows

/// `hwnas tables`: cost tables from profiles, with their error measured on whole sub-networks.
struct TablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables",
        abstract: "Build a lookup-table cost model from profiles and measure its error.",
        discussion: """
            The table holds each block configuration's median latency. A sub-network's predicted \
            latency is the sum of its blocks, corrected by a calibration a * sum + b fitted on \
            whole sub-networks measured end to end (same pinning and methodology as the profiler). \
            Validation draws --validate sub-networks, half uniformly and half spread over the \
            table's range, fits the calibration on one half and reports on the other: MAPE, \
            max error, share within +-5% and +-10%, Kendall tau, Spearman rho, raw and calibrated. \
            --validate 0 writes an unvalidated table; every later use says so.

            --calibration per-kind (the default) also considers one slope per block kind (the \
            block's kind and the power of two nearest its largest activation in bytes), fitted \
            by ridge regression toward the common slope, and uses it when 5-fold \
            cross-validation on the fitting half finds it clearly better than one slope (within \
            one standard error of the best goes to the simpler); the held-out half only judges \
            the choice, and the one slope's held-out figures are reported beside it. \
            --calibration one-slope fits a * sum + b alone. --repeats N builds and measures \
            each validation sub-network N times, in different chunks and minutes, and keeps the \
            mean of the fastest half: on a shared host one measurement of a whole network moves \
            by a few percent, and a neighbour's burst only ever slows a run down.

            Writes <profiles-dir>/<device>/<space>.lut.json; --export csv writes .lut.csv \
            beside it. --export ofa-yaml writes <space>.ofa-yaml/<r>_lookup_table.yaml per \
            resolution, the folder and names Once-for-All's Mbv3LatencyModel opens (give it the \
            folder), with the raw medians: Once-for-All's plain sum is hwnas's raw sum. \
            --export ofa-yaml-calibrated writes <space>.ofa-yaml-calibrated/ with the calibration \
            folded in (entries times a, b/5 added to Conv, Conv_1, AvgPool2D, Conv_2 and Logits, \
            which every sub-network runs once), so the plain sum is hwnas's calibrated prediction. \
            Each YAML's header comment gives a, b and the table's raw and calibrated error.

            --from-table exports an existing table without rebuilding or measuring anything: \
            the exports are written beside the table file.

            An existing table is replaced (with its exports) only with --force; without it \
            nothing is measured. Profiles merge only when their machine and runtime settings \
            (threads, batch, sequence, gemm, BLAS) match. The table records each profile's \
            SHA-256: when a profile changes later, every use of the table says so.

            Examples:
              hwnas tables --profile profiles/amd-zen3-t1/bert-base.profile.json
              hwnas tables --profile p.profile.json --validate 100 --export ofa-yaml
              hwnas tables --profile a.json --profile b.json --validate 0 --json
              hwnas tables --from-table profiles/amd-zen3-t1/ofa-mbv3-w1.0.lut.json --export ofa-yaml --export ofa-yaml-calibrated
            """
    )

    @Option(name: .customLong("profile"), help: ArgumentHelp("A profile (repeat to merge profiles of one space and device).", valueName: "file"), completion: Completions.json)
    var profileFiles: [String] = []

    @Option(name: .customLong("from-table"), help: ArgumentHelp("Export this existing table (no profile, no measurement); needs --export.", valueName: "file"), completion: Completions.json)
    var fromTable: String?

    @Option(name: .customLong("validate"), help: "Sub-networks measured end to end to calibrate and validate the table (0: none).")
    var validationCount = 200

    @Option(name: .customLong("validation-resolution"), help: ArgumentHelp("Validate at these resolutions only (repeatable; default: every profiled one).", valueName: "px"))
    var validationResolutions: [Int] = []

    @Option(help: "Seed of the validation sample.")
    var seed: UInt64 = 1

    @Option(help: "Measurement budget per validation sub-network: quick, standard or thorough.")
    var budget: MeasurementBudget = .standard

    @Option(help: "Times each validation sub-network is built and measured; the mean of the fastest half is kept.")
    var repeats = 1

    @Option(help: "Calibration: per-kind (per-kind slopes when cross-validation on the fitting half prefers them) or one-slope.")
    var calibration: CalibrationChoice = .perKind

    @Option(name: .customLong("profiles-dir"), help: "Folder of per-device tables.")
    var profilesDir = "profiles"

    @Option(help: ArgumentHelp("Also write csv, ofa-yaml or ofa-yaml-calibrated (repeatable).", valueName: "format"))
    var export: [ExportFormat] = []

    @Flag(help: "Print the table as JSON on stdout.")
    var json = false

    @Flag(help: "Discard an unfinished validation of other settings instead of refusing.")
    var restart = false

    @Flag(help: "Replace an existing table of the same space and device (validated or not).")
    var force = false

    @Flag(help: "No progress line and no summary.")
    var quiet = false

    @Option(help: ArgumentHelp("The runtime the profiles must have been measured with (native or onnxruntime); validation runs whole sub-networks in the profiles' runtime.", valueName: "name"),
            completion: .list(Runtimes.names))
    var runtime: String?

    enum CalibrationChoice: String, ExpressibleByArgument, CaseIterable {
        case perKind = "per-kind"
        case oneSlope = "one-slope"

        var model: String { self == .perKind ? CalibrationSelection.perKind : CalibrationSelection.oneSlope }
    }

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case csv
        case ofaYAML = "ofa-yaml"
        case ofaYAMLCalibrated = "ofa-yaml-calibrated"
    }

    func validate() throws {
        if fromTable != nil {
            if !profileFiles.isEmpty { throw ValidationError("give either --from-table or --profile, not both") }
            if export.isEmpty { throw ValidationError("--from-table writes exports only: give at least one --export") }
            return
        }
        if profileFiles.isEmpty { throw ValidationError("give at least one --profile (or --from-table to export an existing table)") }
        if validationCount == 0 && export.contains(.ofaYAMLCalibrated) {
            throw ValidationError("--export ofa-yaml-calibrated folds the calibration in, and --validate 0 fits none")
        }
        if validationCount < 0 || (1...3).contains(validationCount) {
            throw ValidationError("--validate must be 0 or at least 4 (half fits the calibration, half is held out)")
        }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1, not \(repeats)") }
        if let runtime, !Runtimes.names.contains(runtime) {
            throw ValidationError("--runtime '\(runtime)': this build has \(Runtimes.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        if let fromTable {
            try exportOnly(fromTable)
            return
        }
        let profiles = try profileFiles.map { path -> (url: URL, profile: Profile) in
            let url = URL(fileURLWithPath: path)
            return (url, try Profile.read(from: url))
        }
        var table = try CostTable(profiles: profiles)
        let measuredWith = table.settings.runtime?.name ?? RuntimeDescription.nativeName
        if let runtime, runtime != measuredWith {
            throw HwnasError("--runtime \(runtime), but \(profiles[0].url.path) was measured with \(measuredWith) (device \(table.device))")
        }
        let space = try SearchSpaces.named(table.space)
        let folder = URL(fileURLWithPath: profilesDir).appendingPathComponent(table.device)
        let output = folder.appendingPathComponent("\(table.space).lut.json")
        try OverwriteGuard.check(output, holds: "a cost table", force: force, detail: Self.describeExisting(output))
        try AtomicFile.checkWritable(folder: folder)
        try RunLocks.deviceFolder(folder)
        let progress = ProgressLine(enabled: !quiet)
        if validationCount > 0 {
            let cpu = try CPUDescription.current()
            guard MachineID.derive(from: cpu) == table.machine.id else {
                throw HwnasError("the profiles were measured on '\(table.machine.id)', this machine is '\(MachineID.derive(from: cpu))': validate on that machine, or pass --validate 0")
            }
            try BuildTarget.current.requireRunnable(on: cpu)
            try RunLocks.processingUnits(table.settings.cores)
            let validator = TableValidator(space: space, count: validationCount, seed: seed, budget: budget, topology: try Topology.current(),
                                           resolutions: validationResolutions.isEmpty ? nil : validationResolutions,
                                           repeats: repeats, calibrationModel: calibration.model) {
                done, total, elapsed in
                progress.update("validate \(table.space) on \(table.device): \(done)/\(total) sub-networks, \(ProfileCommand.duration(elapsed))")
            }
            table = try validator.validate(table, journal: folder.appendingPathComponent("\(table.space).lut.json.journal"), restart: restart)
        }
        progress.finish()
        try table.write(to: output)
        let written = [output.relativePath] + (try TableExporter(table: table, source: output.relativePath, folder: folder).write(export))
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(table))
        } else if !quiet {
            print(ValidationSummary(table: table).text)
            print("wrote \(written.count <= 3 ? written.joined(separator: ", ") : "\(written[0]) and \(written.count - 1) exports in \(folder.relativePath)")")
        }
    }
}

extension TablesCommand {
    /// --from-table: the exports of an existing table, written beside it.
    func exportOnly(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let table = try CostTable.read(from: url)
        _ = try SearchSpaces.named(table.space)
        let folder = url.deletingLastPathComponent()
        try AtomicFile.checkWritable(folder: folder)
        let written = try TableExporter(table: table, source: path, folder: folder).write(export)
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(table))
        } else if !quiet {
            print("wrote \(written.count <= 3 ? written.joined(separator: ", ") : "\(written.count) exports in \(folder.relativePath)")")
        }
    }
}

/// The validation of a table as a person reads it.
struct ValidationSummary {
    var table: CostTable

    var text: String {
        var lines = ["\(table.space) on \(table.device): \(table.entries.count) entries, \(table.entries.filter(\.unstable).count) unstable"]
        guard let v = table.validation, let c = table.calibration else {
            lines.append("not validated: the table's error is unknown (built with --validate 0)")
            return lines.joined(separator: "\n")
        }
        let sign = c.b < 0 ? "-" : "+"
        if let k = table.kindCalibration {
            let slopes = k.kindOffsets.keys.map { k.slope(kind: $0) }
            lines.append(String(format: "calibration: per kind, measured = b + sum of slope(kind) * sum(kind), %d kinds, slopes %.3f..%.3f, common %.4f, b %.4f ms, penalty %g (fitted on %d sub-networks)",
                                k.kindOffsets.count, slopes.min() ?? k.a, slopes.max() ?? k.a, k.a, k.b, k.penalty, v.fitN))
            lines.append(String(format: "one slope for comparison: measured = %.4f * sum ", c.a) + sign + String(format: " %.4f ms", abs(c.b)))
        } else {
            lines.append(String(format: "calibration: measured = %.4f * sum ", c.a) + sign + String(format: " %.4f ms (fitted on %d sub-networks)", abs(c.b), v.fitN))
        }
        if let selection = v.selection, !selection.candidates.isEmpty {
            let scores = selection.candidates.map { c in
                (c.penalty.map { String(format: "per kind %g", $0) } ?? "one slope") + (c.cvMape.map { String(format: " %.2f%%", $0) } ?? " failed")
            }
            lines.append("chosen by \(selection.folds)-fold cross-validation (x\(selection.repeats)) on the fitting half, MAPE: " + scores.joined(separator: ", "))
        }
        let repeated = (v.repeats ?? 1) > 1 ? ", each the mean of the fastest half of \(v.repeats!) measurements" : ""
        lines.append("validation on \(v.n) held-out sub-networks measured end to end\(repeated):")
        lines.append("              MAPE   max err  within 5%  within 10%  Kendall tau  Spearman rho")
        let rows = [("raw sum", v.raw)] + (v.oneSlope.map { [("one slope", $0)] } ?? []) + [("calibrated", v.calibrated)]
        for (name, m) in rows {
            lines.append("  " + name.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: " %5.2f%%  %6.2f%%  %8.1f%%  %9.1f%%  %11.3f  %12.3f",
                         m.mape, m.maxApe, m.within5, m.within10, m.kendallTau, m.spearmanRho))
        }
        if let zeros = v.raw.zeroTargetsExcluded {
            lines.append("percentages leave out \(zeros) sub-network\(zeros == 1 ? "" : "s") measured at 0 ms")
        }
        return lines.joined(separator: "\n")
    }
}

extension TablesCommand {
    /// What replacing an existing table would lose, for the refusal.
    static func describeExisting(_ url: URL) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let table = try? CostTable.read(from: url, warn: { _ in }) else { return "unreadable" }
        guard let validation = table.validation else { return "not validated" }
        return String(format: "validated on %d sub-networks measured end to end, calibrated MAPE %.2f%%",
                      validation.n + validation.fitN, validation.calibrated.mape)
    }
}
