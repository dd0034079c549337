import ArgumentParser
import Counters
import Foundation
import Hardware
import Profiler
import Runtime
import SuperNet
import Support
import Workflows

/// `hwnas profile`: measure every distinct block configuration of a space on this machine.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Measure the latency and counters of every block configuration of a space, pinned.",
        discussion: """
            Every distinct block configuration of the space at the given input sizes is built \
            (deterministic weights) and timed on pinned threads: warm-up (at least 5 calls and \
            50 ms), then samples in interleaved passes until the median's 95% confidence \
            half-width is within 1% or the entry's time budget is spent. Each entry records \
            median, mean, p10, p90, min, CV and n, is flagged unstable above 5% CV, and carries the \
            PAPI counters that count here. An sgemm reference is measured alongside every chunk \
            of entries, so '% of peak' divides by the peak of the same minutes.

            Writes <profiles-dir>/<device>/<space>.profile.json. Finished entries go to a journal \
            next to it as they complete: an interrupted run (Ctrl-C, kill) is resumed by running \
            the same command again; other settings are refused unless --restart is given. A \
            finished profile already there is replaced only with --force (same settings or not); \
            without it nothing is measured.

            Examples:
              hwnas profile --space bert-base                      one thread, sequence 128
              hwnas profile --space minilm-l6 --seq 32             heads of 32, hidden 384
              hwnas profile --space bert-base --threads 2          device amd-zen3-t2
              hwnas profile --space ofa-mbv3-w1.0 --resolution 224 --budget quick
              hwnas profile --space ofa-mbv3-w1.0                  all 25 resolutions
              hwnas profile --space vit-b16 --cores 1 --device amd-zen3-t1-core1
              hwnas profile --space bert-base --runtime onnxruntime   device amd-zen3-t1-ort
              OPENBLAS_CORETYPE=SandyBridge hwnas profile --space bert-base --gemm blas
                                                           device amd-zen3-t1-blas-sandybridge

            --gemm blas on one thread times the BLAS's kernels instead of hwnas's packed GEMM; \
            with OPENBLAS_CORETYPE set, OpenBLAS uses another CPU's kernel set. Either makes a \
            different device on the same machine, and the default device id says so. \
            --runtime onnxruntime measures ONNX Runtime (the Python of HWNAS_PYTHON or .venv/, \
            which `make setup` makes) with the same method; its blocks are checked against \
            hwnas's outputs before they are timed, and no counters are read.
            """
    )

    @Option(help: "The search space (see `hwnas spaces`).", completion: Completions.space)
    var space: String

    @Option(help: "Device id, <machine>-t<threads>[-<variant>] (default: this machine at --threads).", completion: Completions.device)
    var device: String?

    @Option(help: "Threads a block may use, one core each (default: the device's, else 1).")
    var threads: Int?

    @Option(help: ArgumentHelp("OS indices of the PUs to pin to, e.g. 0 or 0,1 or 0-1 (default: the first cores).", valueName: "list"),
            transform: CoreList.init(parsing:))
    var cores: CoreList?

    @Option(help: "Sequence length (bert-base: default 128; minilm-l6: default 64).")
    var seq: Int?

    @Option(name: .customLong("resolution"), help: ArgumentHelp("Input resolution (ofa-mbv3-w1.0; repeat or comma-separate; default all 25).", valueName: "px"),
            transform: ResolutionList.init(parsing:))
    var resolutions: [ResolutionList] = []

    @Option(help: ArgumentHelp("Matrix products of linear layers and pointwise convolutions: packed (hwnas's, default on one thread) or blas (default on more).", valueName: "kind"))
    var gemm: GemmBackend?

    @Option(help: ArgumentHelp("What runs the blocks: native (hwnas's kernels) or onnxruntime (ONNX Runtime in a worker process, device variant -ort).", valueName: "name"),
            completion: .list(Runtimes.names))
    var runtime = RuntimeDescription.nativeName

    @Option(help: "Batch size.")
    var batch = 1

    @Option(help: "Time spent per entry: quick, standard or thorough.")
    var budget: MeasurementBudget = .standard

    @Option(help: ArgumentHelp("Comma-separated PAPI events (default: \(EventProbe.defaultEvents.joined(separator: ","))).", valueName: "list"))
    var events: String?

    @Option(name: .customLong("profiles-dir"), help: "Folder of per-device profiles.")
    var profilesDir = "profiles"

    @Option(name: .customLong("hardware-dir"), help: "Folder of machine descriptors (this machine's is used when present).")
    var hardwareDir = "hardware"

    @Option(help: "Roofline calibration when no descriptor of this machine is in --hardware-dir: full or quick.")
    var calibration: CalibrationBudget = .full

    @Flag(help: "Discard an unfinished run of other settings instead of refusing.")
    var restart = false

    @Flag(help: "Replace an existing finished profile of the same space and device (same settings or not).")
    var force = false

    @Flag(help: "No progress line and no summary.")
    var quiet = false

    /// --cores must name PUs this machine has; checked here, before a range is ever expanded.
    func validate() throws {
        if let cores { _ = try cores.pus(of: Topology.current().puIndices) }
        guard Runtimes.names.contains(runtime) else {
            throw ValidationError("--runtime '\(runtime)': this build has \(Runtimes.names.joined(separator: ", "))")
        }
        if runtime != RuntimeDescription.nativeName, gemm != nil {
            throw ValidationError("--gemm chooses hwnas's own products; it does not apply to --runtime \(runtime)")
        }
        if runtime != RuntimeDescription.nativeName, events != nil {
            throw ValidationError("--events: counters do not see inside --runtime \(runtime)'s worker process")
        }
    }

    func run() throws {
        let space = try SearchSpaces.named(space)
        let topology = try Topology.current()
        let cpu = try CPUDescription.current()
        try BuildTarget.current.requireRunnable(on: cpu)
        let machineID = MachineID.derive(from: cpu)

        var deviceID = try device.map(DeviceID.init(parsing:))
        if let deviceID, deviceID.machine != machineID {
            throw HwnasError("device '\(deviceID)' names machine '\(deviceID.machine)', but this machine is '\(machineID)'")
        }
        if let threads, let deviceID, deviceID.threads != threads {
            throw HwnasError("--threads \(threads) contradicts device '\(deviceID)' (\(deviceID.threads) thread\(deviceID.threads == 1 ? "" : "s"))")
        }
        let threadCount = threads ?? deviceID?.threads ?? 1
        guard threadCount >= 1 else { throw ValidationError("--threads must be at least 1") }
        if threadCount > topology.puIndices.count {
            throw HwnasError("--threads \(threadCount): this machine has \(topology.puIndices.count) PUs")
        }
        let runtime = try Runtimes.make(self.runtime)
        deviceID = deviceID ?? DeviceID(machine: machineID, threads: threadCount, variant: runtime.describe(
            options: ExecutionOptions(batch: batch, threads: threadCount, gemm: gemm)).deviceVariant)
        let pus = try cores.map { try $0.pus(of: topology.puIndices) } ?? PinnedDevice.defaultPUs(threads: threadCount, topology: topology)
        guard pus.count == threadCount else {
            throw HwnasError("--cores lists \(pus.count) PU(s) for \(threadCount) thread(s); give one per thread")
        }
        let parsedResolutions = resolutions.flatMap(\.pixels)
        let eventList = events.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            ?? EventProbe.defaultEvents
        var spaceSettings = space.defaultSettings
        if let seq { spaceSettings.sequence = seq }
        if !parsedResolutions.isEmpty { spaceSettings.resolutions = parsedResolutions }
        if seq != nil, space.defaultSettings.sequence == nil {
            throw HwnasError("--seq does not apply to \(space.name) (it takes --resolution)")
        }
        if !parsedResolutions.isEmpty, space.defaultSettings.resolutions == nil {
            throw HwnasError("--resolution does not apply to \(space.name) (it takes --seq)")
        }
        let settings = ProfileSettings(threads: threadCount, cores: pus, batch: batch, budget: budget,
                                       sequence: spaceSettings.sequence, resolutions: spaceSettings.resolutions,
                                       events: eventList, gemm: gemm)

        // Everything that can be refused is refused before anything is calibrated or measured.
        try space.validate(spaceSettings)
        try EventSet.checkKnown(eventList)
        try PinnedDevice.validate(pus: pus, topology: topology)
        try RunLocks.deviceFolder(URL(fileURLWithPath: profilesDir).appendingPathComponent(deviceID!.description))
        try RunLocks.processingUnits(pus, option: "--cores")
        let progress = ProgressLine(enabled: !quiet)
        let finished = URL(fileURLWithPath: profilesDir).appendingPathComponent(deviceID!.description)
            .appendingPathComponent("\(space.name).profile.json")
        try OverwriteGuard.check(finished, holds: "a finished profile", force: force, detail: Self.describeExisting(finished))
        var machine = try Self.descriptor(id: machineID, hardwareDir: hardwareDir, calibration: calibration, progress: progress)
        // The BLAS as this process runs it: OPENBLAS_CORETYPE may select other kernels than the
        // descriptor saw.
        machine.blas = BlasLibrary.description
        let label = "profile \(space.name) on \(deviceID!)"
        let session = try ProfileSession(
            space: space, device: deviceID!, settings: settings, runtime: runtime, machine: machine, topology: topology,
            progress: { done, total, elapsed in
                InterruptNotice.shared.update(done: done, total: total)
                var text = "\(label): \(done)/\(total) entries, \(Self.duration(elapsed))"
                if done > 0 && elapsed > 0 && done < total {
                    text += ", ~\(Self.duration(elapsed / Double(done - InterruptNotice.shared.resumedFrom) * Double(total - done))) left"
                }
                progress.update(text)
            })
        let output = URL(fileURLWithPath: profilesDir).appendingPathComponent(deviceID!.description)
            .appendingPathComponent("\(space.name).profile.json")
        InterruptNotice.shared.arm(journal: ProfileSession.journalURL(for: output), progress: progress)
        let profile = try session.run(output: output, restart: restart)
        InterruptNotice.shared.disarm()
        progress.finish()
        if !quiet {
            var summary = "wrote \(output.relativePath): \(profile.entries.count) entries in \(Self.duration(profile.durationSeconds))"
            summary += ", \(profile.noise.unstableEntries) unstable"
            if let reference = profile.noise.reference {
                summary += String(format: ", reference sgemm %.1f GFLOP/s (drift %.1f%%)", reference.medianGflops, reference.driftPercent)
            }
            print(summary)
        }
    }

    /// This machine's descriptor from the hardware folder when it is there, else described and
    /// calibrated afresh (not written: `hwnas hardware` does that).
    static func descriptor(id: String, hardwareDir: String, calibration: CalibrationBudget,
                           progress: ProgressLine) throws -> MachineDescriptor {
        let url = URL(fileURLWithPath: hardwareDir).appendingPathComponent("\(id).json")
        if FileManager.default.fileExists(atPath: url.path) {
            let descriptor = try MachineDescriptor.read(from: url)
            if descriptor.source == "this machine", descriptor.buildTarget == BuildTarget.current.cpu {
                return descriptor
            }
        }
        let describer = MachineDescriber(calibration: calibration, progress: { progress.update("describing this machine: \($0)") })
        return try RunLocks.processingUnits(try RunLocks.calibrationPUs()) { try describer.describeThisMachine().0 }
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 90 ? String(format: "%.0f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }

    /// What replacing an existing profile would lose, for the refusal.
    static func describeExisting(_ url: URL) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let profile = try? Profile.read(from: url) else { return "unreadable" }
        var settings = "\(profile.entries.count) entries measured in \(duration(profile.durationSeconds)), \(profile.settings.budget.rawValue) budget"
        if let sequence = profile.settings.sequence { settings += ", sequence \(sequence)" }
        if let resolutions = profile.settings.resolutions {
            settings += resolutions.count == 1 ? ", \(resolutions[0]) px" : ", \(resolutions.count) resolutions"
        }
        return settings
    }
}

extension MeasurementBudget: ExpressibleByArgument {}
extension GemmBackend: ExpressibleByArgument {}
extension CalibrationBudget: ExpressibleByArgument {}
