import Foundation
import Search
import Support
import SuperNet

/// `hwnas search --export-front`: every member of a device's Pareto set exported as `hwnas
/// export` writes one, into `<folder>/<device>/<NN>/` (NN the member's place on the front), with
/// `<folder>/<device>/front.json` listing them.
public struct FrontExport {
    public static let indexName = "front.json"

    /// One exported member, as front.json lists it.
    public struct Member: Codable, Sendable {
        public var folder: String
        public var subnet: SubnetJSON
        public var macs: Int
        public var params: Int
        public var latencyMs: Double?
        public var accuracy: Double?
    }

    /// front.json.
    public struct Index: Codable, Sendable {
        public static let schemaVersion = 1
        public var schemaVersion: Int
        public var space: String
        public var device: String
        public var format: String
        public var weights: String
        public var createdAt: String
        public var members: [Member]
    }

    public var folder: URL
    public var format: SubnetExport.Format
    public var checkpoint: URL?
    public var force: Bool

    public init(folder: URL, format: SubnetExport.Format, checkpoint: URL?, force: Bool) {
        self.folder = folder
        self.format = format
        self.checkpoint = checkpoint
        self.force = force
    }

    /// `<folder>/<device>`.
    public func deviceFolder(_ device: String) -> URL {
        folder.appendingPathComponent(device)
    }

    /// Refuses a device whose front was exported before (unless `force`): checked before a
    /// search runs, so nothing is searched in vain.
    public func checkFree(device: String) throws {
        try OverwriteGuard.check(deviceFolder(device).appendingPathComponent(Self.indexName), holds: "the exported front of \(device)",
                                 force: force)
    }

    /// Exports every member of `set`; `progress` hears each member's number. Returns front.json's URL.
    @discardableResult
    public func write(_ set: ParetoSet, space: any SearchSpace, progress: (Int, Int) -> Void = { _, _ in }) throws -> URL {
        try checkFree(device: set.device)
        let target = deviceFolder(set.device)
        let digits = max(2, String(set.front.count - 1).count)
        var members: [Member] = []
        for (index, member) in set.front.enumerated() {
            progress(index, set.front.count)
            let name = String(repeating: "0", count: max(0, digits - String(index).count)) + String(index)
            try SubnetExport(space: space, subnet: member.subnet.subnet, format: format, checkpoint: checkpoint, force: force)
                .write(to: target.appendingPathComponent(name))
            members.append(Member(folder: name, subnet: member.subnet, macs: member.macs, params: member.params,
                                  latencyMs: member.latencyMs, accuracy: member.accuracy))
        }
        let index = Index(schemaVersion: Index.schemaVersion, space: space.name, device: set.device, format: format.rawValue,
                          weights: checkpoint == nil ? "seeded" : "checkpoint", createdAt: Timestamp.now(), members: members)
        let url = target.appendingPathComponent(Self.indexName)
        try AtomicFile.write(try JSONFormat.encode(index), to: url)
        return url
    }
}
