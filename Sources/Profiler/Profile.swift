import Counters
import Foundation
import Hardware
import Support

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
        return profile
    }

    public func write(to url: URL) throws {
        try AtomicFile.write(JSONFormat.encode(self), to: url)
    }

    /// The entry of a key.
    public func entry(_ key: String) -> ProfileEntry? {
        entries.first { $0.key == key }
    }
}
