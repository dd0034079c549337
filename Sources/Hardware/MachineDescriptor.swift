import Foundation
import Support

/// Everything results depend on about a machine: CPU, topology, caches, BLAS, countable events,
/// the build target of the binary, and the measured roofline.
///
/// Every later hwnas output embeds it, so a number can always be traced to where it was measured.
public struct MachineDescriptor: Codable, Equatable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    /// The machine id, `<vendor>-<uarch>` (see `MachineID`).
    public var id: String
    public var cpu: CPUDescription
    /// The CPU name the binary was compiled for; "unknown" when the descriptor was made from
    /// another machine's XML (no hwnas binary ran there).
    public var buildTarget: String
    /// ISA features the compiler was allowed to use, and the compiler.
    public var build: BuildTarget
    public var topology: TopologySummary
    public var caches: [CacheDescription]
    /// Memory the OS reports (MemTotal), in bytes.
    public var memoryBytes: Int?
    public var os: String?
    public var blas: BlasDescription?
    public var papi: PAPIDescription?
    /// nil when the descriptor was made from an XML file or with `--calibration none`.
    public var calibration: Calibration?
    /// "this machine", or the XML file the topology was read from (then only the topology and
    /// caches describe the machine; nothing was measured).
    public var source: String
    public var hwnasVersion: String
    public var createdAt: String

    public init(id: String, cpu: CPUDescription, build: BuildTarget, topology: TopologySummary,
                caches: [CacheDescription], memoryBytes: Int?, os: String?, blas: BlasDescription?,
                papi: PAPIDescription?, calibration: Calibration?, source: String) {
        schemaVersion = Self.schemaVersion
        self.id = id
        self.cpu = cpu
        buildTarget = build.cpu
        self.build = build
        self.topology = topology
        self.caches = caches
        self.memoryBytes = memoryBytes
        self.os = os
        self.blas = blas
        self.papi = papi
        self.calibration = calibration
        self.source = source
        hwnasVersion = HwnasVersion.current
        createdAt = Timestamp.now()
    }

    /// Reads a descriptor, rejecting other schemas and truncated files with a message naming the file.
    public static func read(from url: URL) throws -> MachineDescriptor {
        let descriptor = try JSONFormat.decodeFile(MachineDescriptor.self, from: url, kind: "machine descriptor",
                                                   schemaVersion: schemaVersion)
        try descriptor.checkID(file: url, field: "id")
        return descriptor
    }

    /// Throws, naming the file and the field, when the id could not be a machine id: it names
    /// files, so one read from a file is held to the same grammar as one derived here.
    public func checkID(file: URL, field: String) throws {
        do {
            try MachineID.validate(id)
        } catch let error as HwnasError {
            throw HwnasError("\(file.path): field '\(field)': \(error.message)")
        }
    }

    /// Writes the descriptor atomically as pretty JSON.
    public func write(to url: URL) throws {
        try AtomicFile.write(JSONFormat.encode(self), to: url)
    }

    /// The cache of a level and kind ("data", "unified"...), if the machine has one.
    public func cache(level: Int, kind: String? = nil) -> CacheDescription? {
        caches.first { $0.level == level && (kind == nil || $0.kind == kind) }
    }

    /// The device id of this machine at a thread count and optional variant.
    public func device(threads: Int, variant: String? = nil) -> DeviceID {
        DeviceID(machine: id, threads: threads, variant: variant)
    }
}
