import ArgumentParser
import Counters
import Foundation
import Hardware
import Support
import Workflows

/// `hwnas hardware`: describe a machine and write its descriptor.
struct HardwareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hardware",
        abstract: "Describe this machine (or an hwloc XML topology) and write its descriptor.",
        discussion: """
            Reads the topology and caches with hwloc, the CPU from /proc/cpuinfo and CPUID, the \
            BLAS in use, probes which PAPI events really count here, and measures the roofline: \
            peak sgemm GFLOP/s on one core and on all cores, and STREAM triad bandwidth, each \
            pinned and repeated. Writes <hardware-dir>/<machine>.json and \
            <hardware-dir>/<machine>.topology.xml (hwloc's XML export). A calibrated descriptor \
            already there is replaced only with --force. --from-xml never rewrites the XML it \
            reads, and a descriptor of another machine than this one records no build target.

            Examples:
              hwnas hardware                              describe this machine into hardware/
              hwnas hardware --json > machine.json        also print the descriptor as JSON
              hwnas hardware --calibration quick          a faster, rougher roofline
              hwnas hardware --events PAPI_TOT_CYC,perf::TASK-CLOCK
              hwnas hardware --from-xml other.topology.xml --hardware-dir hw/
              hwnas hardware --show hardware/amd-zen3.json
            """
    )

    @Option(name: .customLong("hardware-dir"), help: "Folder to write the descriptor into.")
    var hardwareDir = "hardware"

    @Flag(help: "Print the descriptor as JSON on stdout (the summary is not printed).")
    var json = false

    @Option(name: .customLong("from-xml"), help: ArgumentHelp(
        "Describe the machine of an hwloc XML file instead of this one (topology only; nothing is measured).",
        valueName: "file"))
    var fromXML: String?

    @Option(help: ArgumentHelp(
        "Print a saved descriptor (summary, or JSON with --json) instead of describing a machine.",
        valueName: "file"))
    var show: String?

    @Option(help: ArgumentHelp(
        "Comma-separated PAPI events to probe (default: \(EventProbe.defaultEvents.joined(separator: ","))).",
        valueName: "list"))
    var events: String?

    @Option(help: "Roofline measurement: full, quick or none.")
    var calibration: CalibrationChoice = .full

    @Flag(help: "Print nothing on success but the JSON asked for.")
    var quiet = false

    @Flag(help: "Replace a calibrated descriptor of the same machine in --hardware-dir.")
    var force = false

    enum CalibrationChoice: String, ExpressibleByArgument, CaseIterable {
        case full, quick, none
        var budget: CalibrationBudget? {
            switch self {
            case .full: .full
            case .quick: .quick
            case .none: nil
            }
        }
    }

    func validate() throws {
        if show != nil, fromXML != nil {
            throw ValidationError("--show and --from-xml cannot be combined: --show prints a saved descriptor")
        }
        if let events, parsedEvents(events).isEmpty {
            throw ValidationError("--events needs at least one event name, e.g. --events perf::TASK-CLOCK")
        }
    }

    func parsedEvents(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        if let show {
            let descriptor = try MachineDescriptor.read(from: URL(fileURLWithPath: show))
            if json {
                FileHandle.standardOutput.write(try JSONFormat.encode(descriptor))
            } else {
                print(DescriptorSummary(descriptor: descriptor).text)
            }
            return
        }
        let folder = URL(fileURLWithPath: hardwareDir)
        let progress = ProgressLine(enabled: !quiet)
        let describer = MachineDescriber(
            events: events.map(parsedEvents) ?? EventProbe.defaultEvents,
            calibration: calibration.budget,
            progress: { progress.update("hardware: \($0)") })
        let descriptor: MachineDescriptor
        let topology: Topology
        if let fromXML {
            (descriptor, topology) = try describer.describe(xml: URL(fileURLWithPath: fromXML))
            try descriptor.checkID(file: URL(fileURLWithPath: fromXML), field: "CPUVendor, CPUFamilyNumber, CPUModelNumber")
            try checkReplace(folder.appendingPathComponent("\(descriptor.id).json"))
            try AtomicFile.checkWritable(folder: folder)
        } else {
            // Unknown event names are refused before anything is created or measured.
            try EventSet.checkKnown(describer.events)
            try checkReplace(folder.appendingPathComponent("\(MachineID.derive(from: try CPUDescription.current())).json"))
            try AtomicFile.checkWritable(folder: folder)
            if describer.calibration != nil { try RunLocks.processingUnits(try RunLocks.calibrationPUs()) }
            (descriptor, topology) = try describer.describeThisMachine()
        }
        progress.finish()
        let jsonURL = folder.appendingPathComponent("\(descriptor.id).json")
        let xmlURL = folder.appendingPathComponent("\(descriptor.id).topology.xml")
        try descriptor.write(to: jsonURL)
        // The XML read is never rewritten: when it already is the destination, it stays as it is.
        if fromXML.map({ Self.sameFile(URL(fileURLWithPath: $0), xmlURL) }) != true {
            try topology.exportXML(to: xmlURL)
        }
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(descriptor))
        } else if !quiet {
            print(DescriptorSummary(descriptor: descriptor).text)
            print("wrote \(jsonURL.relativePath) and \(xmlURL.relativePath)")
        }
    }
}

extension HardwareCommand {
    /// A descriptor with a measured roofline is replaced only with --force; one without (made
    /// from XML or with --calibration none) holds nothing measured. One hwnas cannot read is
    /// kept too: it may be another version's.
    func checkReplace(_ url: URL) throws {
        guard !force, FileManager.default.fileExists(atPath: url.path) else { return }
        let existing = try? MachineDescriptor.read(from: url)
        if let existing, existing.calibration == nil { return }
        try OverwriteGuard.check(url, holds: existing == nil ? "a file hwnas cannot read as a machine descriptor" : "a calibrated machine descriptor",
                                 force: force, detail: existing.map { "roofline measured \($0.createdAt)" })
    }

    /// Whether two paths name one file (symbolic links and `..` resolved).
    static func sameFile(_ a: URL, _ b: URL) -> Bool {
        a.standardizedFileURL.resolvingSymlinksInPath().path == b.standardizedFileURL.resolvingSymlinksInPath().path
    }
}
