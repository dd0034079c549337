import Foundation
import Hardware
import Profiler
import Runtime
import Support
import SuperNet

/// A lookup-table cost model of one space on one device: block latencies from profiles, a
/// calibration fitted on whole sub-networks, and the table's measured error.
public struct CostTable: Codable, Equatable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var space: String
    public var device: String
    public var machine: MachineDescriptor
    /// The settings of the profile(s) the entries come from.
    public var settings: ProfileSettings
    /// The profile files merged into this table.
    public var profiles: [String]
    /// The SHA-256 of each profile file (by its path in `profiles`) when the table was built, so
    /// a reader can say when a profile changed since; nil in tables made before it was recorded.
    public var profileSha256: [String: String]?
    public var entries: [TableEntry]
    /// The one-slope calibration, fitted whenever the table is validated; nil when the table was
    /// not validated (`--validate 0`): every use says so.
    public var calibration: LinearCalibration?
    /// Per-kind slopes, when the validation chose them over one slope (`CalibrationSelection`):
    /// the table then predicts with these, and `calibration` stays for comparison.
    public var kindCalibration: KindCalibration?
    public var validation: TableValidation?
    public var hwnasVersion: String
    public var createdAt: String

    /// Builds a table from one or more profiles of the same space and device; for a key in
    /// several profiles the measurement with the most samples wins.
    public init(profiles: [(url: URL, profile: Profile)]) throws {
        guard let first = profiles.first else { throw HwnasError("no profile given") }
        for (url, profile) in profiles.dropFirst() {
            guard profile.space == first.profile.space else {
                throw HwnasError("\(url.path) is a profile of '\(profile.space)', \(first.url.path) of '\(first.profile.space)': a table holds one space")
            }
            guard profile.device == first.profile.device else {
                throw HwnasError("\(url.path) is for device '\(profile.device)', \(first.url.path) for '\(first.profile.device)': a table holds one device")
            }
            try Self.checkMergeable(first, (url, profile))
        }
        var byKey: [String: ProfileEntry] = [:]
        var order: [String] = []
        for (_, profile) in profiles {
            for entry in profile.entries {
                if let existing = byKey[entry.key] {
                    if entry.stats.n > existing.stats.n { byKey[entry.key] = entry }
                } else {
                    byKey[entry.key] = entry
                    order.append(entry.key)
                }
            }
        }
        var settings = first.profile.settings
        let resolutions = profiles.compactMap(\.profile.settings.resolutions).flatMap { $0 }
        if !resolutions.isEmpty { settings.resolutions = Array(Set(resolutions)).sorted() }
        schemaVersion = Self.schemaVersion
        space = first.profile.space
        device = first.profile.device
        machine = first.profile.machine
        self.settings = settings
        self.profiles = profiles.map(\.url.relativePath)
        var hashes: [String: String] = [:]
        for (url, _) in profiles {
            hashes[url.relativePath] = SHA256.hex(ofFile: url)
        }
        profileSha256 = hashes.isEmpty ? nil : hashes
        entries = order.map { key in
            let e = byKey[key]!
            return TableEntry(key: key, medianMs: e.stats.medianMs, p90Ms: e.stats.p90Ms, meanMs: e.stats.meanMs,
                              stdMs: e.stats.cv * e.stats.meanMs, cv: e.stats.cv, n: e.stats.n, unstable: e.stats.unstable)
        }
        calibration = nil
        kindCalibration = nil
        validation = nil
        hwnasVersion = HwnasVersion.current
        createdAt = Timestamp.now()
    }

    /// Two profiles merge into one table only when they measured the same thing: the same
    /// machine, build, BLAS and runtime settings (resolutions may differ: that is what merging
    /// is for). The error names both files and the first field that differs.
    static func checkMergeable(_ first: (url: URL, profile: Profile), _ other: (url: URL, profile: Profile)) throws {
        let (a, b) = (first.profile, other.profile)
        let fields: [(String, String, String)] = [
            ("machine", a.machine.id, b.machine.id),
            ("build target", a.machine.buildTarget, b.machine.buildTarget),
            ("threads", "\(a.settings.threads)", "\(b.settings.threads)"),
            ("batch", "\(a.settings.batch)", "\(b.settings.batch)"),
            ("sequence", a.settings.sequence.map(String.init) ?? "none", b.settings.sequence.map(String.init) ?? "none"),
            ("gemm", a.settings.gemm?.rawValue ?? "default", b.settings.gemm?.rawValue ?? "default"),
            ("runtime", a.settings.runtime?.name ?? RuntimeDescription.nativeName,
             b.settings.runtime?.name ?? RuntimeDescription.nativeName),
            // Another version of an out-of-process runtime is another runtime (native profiles
            // carry hwnas's own version, which does not change what they measured).
            ("runtime version", Self.runtimeVersion(a.settings.runtime), Self.runtimeVersion(b.settings.runtime)),
            ("BLAS core", a.machine.blas?.coreName ?? "unknown", b.machine.blas?.coreName ?? "unknown"),
            ("kernel variant", KernelVariants.label(a.settings.kernelVariants), KernelVariants.label(b.settings.kernelVariants)),
            ("flushDenormals", a.settings.flushDenormalsLabel, b.settings.flushDenormalsLabel),
        ]
        for (field, x, y) in fields where x != y {
            throw HwnasError("\(other.url.path) has \(field) \(y) but \(first.url.path) has \(field) \(x): a table merges only profiles of the same machine and runtime settings; build one table per setting")
        }
    }

    /// The version that matters for merging: an out-of-process runtime's, none for the native one.
    static func runtimeVersion(_ runtime: RuntimeDescription?) -> String {
        guard let runtime, runtime.name != RuntimeDescription.nativeName else { return "-" }
        return runtime.version
    }

    /// Reads a table, refusing another schema, a truncated file, names that would make paths
    /// and latencies or a calibration no measurement gives. When a profile the table was built
    /// from changed since, `warn` is told (naming both files).
    public static func read(from url: URL, warn: (String) -> Void = CostTable.printWarning) throws -> CostTable {
        let table = try JSONFormat.decodeFile(CostTable.self, from: url, kind: "cost table", schemaVersion: schemaVersion)
        try table.check(file: url)
        for message in table.changedProfiles(tableFile: url) { warn(message) }
        return table
    }

    /// Prints a warning on stderr, as every command does.
    public static func printWarning(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    func check(file url: URL) throws {
        try Profile.checkNames(space: space, device: device, machine: machine, file: url)
        for entry in entries {
            try ValueCheck.positive(entry.medianMs, file: url, entry: entry.key, field: "medianMs")
            try ValueCheck.positive(entry.p90Ms, file: url, entry: entry.key, field: "p90Ms")
        }
        if let calibration {
            try ValueCheck.positive(calibration.a, file: url, entry: nil, field: "calibration.a")
            try ValueCheck.finite(calibration.b, file: url, entry: nil, field: "calibration.b")
        }
        if let kinds = kindCalibration {
            try ValueCheck.positive(kinds.a, file: url, entry: nil, field: "kindCalibration.a")
            try ValueCheck.finite(kinds.b, file: url, entry: nil, field: "kindCalibration.b")
            for (kind, _) in kinds.kindOffsets.sorted(by: { $0.key < $1.key }) {
                try ValueCheck.positive(kinds.slope(kind: kind), file: url, entry: kind, field: "kindCalibration slope")
            }
        }
    }

    /// One message per profile that is still at its recorded path but whose contents changed
    /// since the table was built (tables without recorded hashes say nothing).
    public func changedProfiles(tableFile: URL) -> [String] {
        (profileSha256 ?? [:]).sorted { $0.key < $1.key }.compactMap { path, recorded in
            let profile = URL(fileURLWithPath: path)
            guard let now = SHA256.hex(ofFile: profile), now != recorded else { return nil }
            let rebuild = (profiles.map { "--profile \($0)" } + ["--force"]).joined(separator: " ")
            return "\(profile.relativePath) changed since the cost table \(tableFile.relativePath) was built from it; its latencies may not be the profile's: rebuild it (hwnas tables \(rebuild))"
        }
    }

    public func write(to url: URL) throws {
        try AtomicFile.write(JSONFormat.encode(self), to: url)
    }

    public var isValidated: Bool { validation != nil }

    /// The warning every use of an unvalidated table prints.
    public var unvalidatedWarning: String? {
        isValidated ? nil : "the cost table of \(space) on \(device) was not validated (built with --validate 0): its error is unknown"
    }
}
