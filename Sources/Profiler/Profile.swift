import Counters
import Foundation
import Hardware
import Support
import SuperNet

/// A profile: every distinct block configuration of a space measured on one device.
///
/// Written to `<profiles-dir>/<device>/<space>.profile.json`; it embeds the machine descriptor,
/// so its numbers can always be traced to where and how they were measured.
public struct Profile: Codable, Equatable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var space: String
    public var device: String
    public var machine: MachineDescriptor
    public var settings: ProfileSettings
    /// What PAPI counts cover, e.g. "measuring thread only": with several BLAS threads the other
    /// threads' work is not in the counters.
    public var counterScope: String
    /// Every event asked for, with whether it counts here and why not.
    public var events: [EventAvailability]
    public var noise: NoiseRecord
    public var entries: [ProfileEntry]
    public var durationSeconds: Double
    public var hwnasVersion: String
    public var createdAt: String

    public init(space: String, device: String, machine: MachineDescriptor, settings: ProfileSettings,
                counterScope: String, events: [EventAvailability], noise: NoiseRecord, entries: [ProfileEntry],
                durationSeconds: Double) {
        schemaVersion = Self.schemaVersion
        self.space = space
        self.device = device
        self.machine = machine
        self.settings = settings
        self.counterScope = counterScope
        self.events = events
        self.noise = noise
        self.entries = entries
        self.durationSeconds = durationSeconds
        hwnasVersion = HwnasVersion.current
        createdAt = Timestamp.now()
    }

    /// Reads a profile; another schema, a truncated file or (when `space` is given) a profile of
    /// another space is refused with a message naming the file.
    public static func read(from url: URL, space: String? = nil) throws -> Profile {
        let profile = try JSONFormat.decodeFile(Profile.self, from: url, kind: "profile", schemaVersion: schemaVersion)
        if let space, profile.space != space {
            throw HwnasError("\(url.path) is a profile of space '\(profile.space)', not '\(space)'")
        }
        try profile.check(file: url)
        return profile
    }

    /// What a file could hold but hwnas never writes: names that would make paths (a device
    /// `../../x`), and latencies no measurement gives (zero, negative, not finite).
    func check(file url: URL) throws {
        try Self.checkNames(space: space, device: device, machine: machine, file: url)
        for entry in entries {
            try ValueCheck.positive(entry.stats.medianMs, file: url, entry: entry.key, field: "stats.medianMs")
            try ValueCheck.positive(entry.stats.p90Ms, file: url, entry: entry.key, field: "stats.p90Ms")
        }
    }

    /// The space, device and machine id read from a file name folders and files
    /// (`<device>/<space>.lut.json`), so they are held to the command line's grammar.
    public static func checkNames(space: String, device: String, machine: MachineDescriptor, file url: URL) throws {
        func named(_ field: String, _ check: () throws -> Void) throws {
            do {
                try check()
            } catch let error as HwnasError {
                throw HwnasError("\(url.path): field '\(field)': \(error.message)")
            }
        }
        try named("space") { _ = try SearchSpaces.named(space) }
        try named("device") { _ = try DeviceID(parsing: device) }
        try machine.checkID(file: url, field: "machine.id")
    }

    public func write(to url: URL) throws {
        try AtomicFile.write(JSONFormat.encode(self), to: url)
    }

    /// The entry of a key.
    public func entry(_ key: String) -> ProfileEntry? {
        entries.first { $0.key == key }
    }
}
