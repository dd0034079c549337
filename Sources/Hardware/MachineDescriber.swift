import Counters
import Foundation
import Support

/// Builds a `MachineDescriptor`: of this machine (probing and measuring it), or of another
/// machine from its hwloc XML export (topology and CPU identity only).
public struct MachineDescriber {
    /// PAPI events to probe.
    public var events: [String]
    /// nil skips calibration (the descriptor then has no roofline).
    public var calibration: CalibrationBudget?
    /// Receives a short note as each step starts.
    public var progress: (String) -> Void

    public init(events: [String] = EventProbe.defaultEvents, calibration: CalibrationBudget? = .full,
                progress: @escaping (String) -> Void = { _ in }) {
        self.events = events
        self.calibration = calibration
        self.progress = progress
    }

    /// Describes the machine this process runs on.
    public func describeThisMachine() throws -> (MachineDescriptor, Topology) {
        progress("topology")
        let topology = try Topology.current()
        let cpu = try CPUDescription.current()
        let build = BuildTarget.current
        try build.requireRunnable(on: cpu)

        progress("counters")
        let firstPU = topology.corePus.first?.first ?? 0
        // PAPI is used only on threads hwnas starts (and unregisters when they end): a thread
        // of a shared pool may exit and hand its id to a new thread, which PAPI would confuse
        // with the dead one. Unknown event names throw here, before anything slow happens.
        let (version, probed) = try PinnedThread.run(on: [firstPU], topology: topology) {
            (try PAPILibrary.initialize(), try EventProbe.probe(events))
        }.value
        let papi = PAPIDescription(version: version.description, events: probed,
                                   note: Self.papiNote(events: probed, cpu: cpu))

        let measured = try calibration.map { budget in
            try Calibrator(topology: topology, budget: budget, progress: { self.progress("calibrating: \($0)") }).run()
        }
        let descriptor = MachineDescriptor(
            id: MachineID.derive(from: cpu), cpu: cpu, build: build, topology: topology.summary,
            caches: topology.caches, memoryBytes: Self.memTotal(), os: Self.osDescription(),
            blas: BlasLibrary.description, papi: papi, calibration: measured, source: "this machine")
        return (descriptor, topology)
    }

    /// Describes a machine from an hwloc XML file: topology, caches and the CPU identity hwloc
    /// recorded; no ISA flags, counters or calibration, since nothing ran there, and no build
    /// target unless the XML describes the machine this process runs on.
    public func describe(xml url: URL) throws -> (MachineDescriptor, Topology) {
        let topology = try Topology.load(xml: url)
        let vendorString = topology.packageInfo("CPUVendor") ?? "unknown"
        let cpu = CPUDescription(
            vendor: CPUDescription.vendorID(vendorString), vendorString: vendorString,
            modelName: topology.packageInfo("CPUModel") ?? "unknown",
            family: Int(topology.packageInfo("CPUFamilyNumber") ?? "") ?? 0,
            model: Int(topology.packageInfo("CPUModelNumber") ?? "") ?? 0,
            stepping: Int(topology.packageInfo("CPUStepping") ?? "") ?? 0,
            isa: [], virtualized: false, hypervisor: nil, frequencyMHz: nil, governor: nil)
        let os = [topology.rootInfo("OSName"), topology.rootInfo("OSRelease")].compactMap { $0 }.joined(separator: " ")
        let id = MachineID.derive(from: cpu)
        // This binary's build target belongs to this machine only: another machine's descriptor
        // records none rather than one no binary there was built for.
        let here = (try? CPUDescription.current()).map(MachineID.derive(from:))
        let descriptor = MachineDescriptor(
            id: id, cpu: cpu, build: here == id ? BuildTarget.current : .unknown, topology: topology.summary,
            caches: topology.caches, memoryBytes: nil, os: os.isEmpty ? nil : os, blas: nil, papi: nil,
            calibration: nil, source: "xml:\(url.path)")
        return (descriptor, topology)
    }

    /// Explains why hardware events do not count, when every one of them failed.
    static func papiNote(events: [EventAvailability], cpu: CPUDescription) -> String? {
        let hardware = events.filter { $0.name.hasPrefix("PAPI_") }
        guard !hardware.isEmpty, hardware.allSatisfy({ !$0.counts }) else { return nil }
        if cpu.virtualized {
            let hypervisor = cpu.hypervisor.map { " (\($0))" } ?? ""
            return "no hardware event counts: the hypervisor\(hypervisor) exposes no performance-monitoring unit to this virtual machine; software events (perf::) still count"
        }
        let paranoid = TextFile.firstLine("/proc/sys/kernel/perf_event_paranoid") ?? "unknown"
        return "no hardware event counts; check the PMU driver and /proc/sys/kernel/perf_event_paranoid (now \(paranoid))"
    }

    static func memTotal() -> Int? {
        guard let text = TextFile.read("/proc/meminfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let kib = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kib.map { $0 * 1024 }
        }
        return nil
    }

    static func osDescription() -> String? {
        var info = utsname()
        guard uname(&info) == 0 else { return nil }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(field(info.sysname)) \(field(info.release)) \(field(info.machine))"
    }
}
