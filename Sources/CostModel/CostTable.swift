import Foundation
import Hardware
import Profiler
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
    public var entries: [TableEntry]
    /// nil when the table was not validated (`--validate 0`): every use says so.
    public var calibration: LinearCalibration?
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
            guard profile.settings.batch == first.profile.settings.batch else {
                throw HwnasError("\(url.path) has batch \(profile.settings.batch), \(first.url.path) batch \(first.profile.settings.batch): a table holds one batch size")
            }
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
        entries = order.map { key in
            let e = byKey[key]!
            return TableEntry(key: key, medianMs: e.stats.medianMs, p90Ms: e.stats.p90Ms, meanMs: e.stats.meanMs,
                              stdMs: e.stats.cv * e.stats.meanMs, cv: e.stats.cv, n: e.stats.n, unstable: e.stats.unstable)
        }
        calibration = nil
        validation = nil
        hwnasVersion = HwnasVersion.current
        createdAt = Timestamp.now()
    }

    public static func read(from url: URL) throws -> CostTable {
        try JSONFormat.decodeFile(CostTable.self, from: url, kind: "cost table", schemaVersion: schemaVersion)
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
