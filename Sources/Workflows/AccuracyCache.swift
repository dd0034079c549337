import Foundation
import Support

/// Accuracies measured on one checkpoint, task, split and data, kept beside the checkpoint in
/// `<checkpoint>/accuracy/<task>.<split>.<dataHash>.jsonl` so that a sub-network is measured
/// once: a header line (what was measured on what: the SHA-256 of `model.safetensors`), then
/// one line per sub-network, appended under a lock so concurrent runs add to it safely.
///
/// A file whose header names other weights (the run went on training, or the file was copied
/// from another checkpoint), another task, split, data or sequence length is refused, never
/// mixed in or overwritten. Each line keeps which examples the sub-network got right, so
/// uncertainty can be bootstrapped over the examples without measuring again.
public final class AccuracyCache: @unchecked Sendable {
    public static let schemaVersion = 1
    public static let kind = "hwnas measured accuracy"

    /// The first line: what every measurement below it was made on.
    public struct Header: Codable, Equatable, Sendable {
        public var schemaVersion: Int
        public var kind: String
        public var space: String
        public var task: String
        public var split: String
        /// `sha256:` of the split's examples (text and label, in order), the same as in the name.
        public var dataHash: String
        public var examples: Int
        public var maxLength: Int
        /// SHA-256 of the checkpoint's `model.safetensors`.
        public var modelSha256: String
        public var hwnasVersion: String
        public var createdAt: String
    }

    /// One measured sub-network.
    public struct Entry: Codable, Equatable, Sendable {
        /// The sub-network's canonical genome (inactive slots -1): its identity.
        public var network: String
        /// DyNAS-T's dict form.
        public var subnet: String
        /// Percent correct.
        public var accuracy: Double
        public var correct: Int
        public var examples: Int
        /// Example i right when bit (i mod 8) of byte i / 8 is set, as hexadecimal.
        public var correctBits: String
        /// Seconds the measurement took.
        public var seconds: Double
        public var measuredAt: String

        /// Whether example `i` was classified right.
        public func isCorrect(_ i: Int) -> Bool {
            let start = correctBits.index(correctBits.startIndex, offsetBy: 2 * (i / 8))
            let byte = UInt8(correctBits[start..<correctBits.index(start, offsetBy: 2)], radix: 16) ?? 0
            return byte & (1 << UInt8(i % 8)) != 0
        }

        /// The hexadecimal form of per-example correctness.
        public static func bits(_ correct: [Bool]) -> String {
            var bytes = [UInt8](repeating: 0, count: (correct.count + 7) / 8)
            for (i, right) in correct.enumerated() where right { bytes[i / 8] |= 1 << UInt8(i % 8) }
            return bytes.map { String(format: "%02x", $0) }.joined()
        }
    }

    public let url: URL
    public let header: Header
    private var entries: [String: Entry] = [:]

    /// The file of `header` in `checkpoint`'s accuracy folder (created on the first append);
    /// throws when one exists with another header, naming what differs.
    public init(checkpoint: URL, header: Header) throws {
        let short = header.dataHash.split(separator: ":").last.map { String($0.prefix(16)) } ?? header.dataHash
        url = checkpoint.appendingPathComponent("accuracy").appendingPathComponent("\(header.task).\(header.split).\(short).jsonl")
        self.header = header
        try reload()
    }

    /// Number of sub-networks measured in the file.
    public var count: Int { entries.count }

    public var allEntries: [Entry] { entries.values.sorted { $0.measuredAt != $1.measuredAt ? $0.measuredAt < $1.measuredAt : $0.network < $1.network } }

    public func entry(network: String) -> Entry? { entries[network] }

    /// Re-reads the file (other processes may have appended).
    public func reload() throws {
        guard let data = FileManager.default.contents(atPath: url.path) else { return }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A line without its newline was cut by a kill during its write: not a measurement.
        if lines.last == "" { lines.removeLast() } else if !lines.isEmpty { lines.removeLast() }
        guard let first = lines.first else { return }
        let decoder = JSONDecoder()
        let found: Header
        do {
            found = try decoder.decode(Header.self, from: Data(first.utf8))
        } catch {
            throw HwnasError("\(url.path): line 1 is not the header of a measured-accuracy file: \(JSONFormat.describe(error))")
        }
        try check(found)
        var read: [String: Entry] = [:]
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            do {
                let entry = try decoder.decode(Entry.self, from: Data(line.utf8))
                if read[entry.network] == nil { read[entry.network] = entry }
            } catch {
                throw HwnasError("\(url.path): line \(index + 1) is not a measurement: \(JSONFormat.describe(error))")
            }
        }
        entries = read
    }

    /// Refuses a file measured on something else than `header` says.
    private func check(_ found: Header) throws {
        guard found.kind == Self.kind, found.schemaVersion == Self.schemaVersion else {
            throw HwnasError("\(url.path) is a \(found.kind) file of schema \(found.schemaVersion); this hwnas reads \(Self.kind) schema \(Self.schemaVersion)")
        }
        if found.modelSha256 != header.modelSha256 {
            throw HwnasError("\(url.path) holds accuracies measured on another checkpoint (model.safetensors sha256 \(found.modelSha256)); this checkpoint's model.safetensors is \(header.modelSha256). The weights changed since (a run that went on training?) or the file was copied here: move it away to measure this checkpoint; nothing was measured or written")
        }
        let pairs: [(String, String, String)] = [
            ("space", found.space, header.space), ("task", found.task, header.task), ("split", found.split, header.split),
            ("data hash", found.dataHash, header.dataHash), ("examples", "\(found.examples)", "\(header.examples)"),
            ("max length", "\(found.maxLength)", "\(header.maxLength)"),
        ]
        if let (name, there, here) = pairs.first(where: { $0.1 != $0.2 }) {
            throw HwnasError("\(url.path) was measured with \(name) \(there), this measurement has \(here): move it away; nothing was measured or written")
        }
    }

    /// Appends `entry` under the file's lock, writing the header first when the file is new;
    /// an entry of a network another process measured meanwhile is not added twice.
    public func append(_ entry: Entry) throws {
        let lockURL = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".lock")
        let lock = try Self.waitForLock(lockURL)
        defer { lock.release() }
        try reload()
        if entries[entry.network] != nil { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if !FileManager.default.fileExists(atPath: url.path) {
            var text = try encoder.encode(header)
            text.append(0x0A)
            try AtomicFile.write(text, to: url)
        }
        var line = try encoder.encode(entry)
        line.append(0x0A)
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: url)
        } catch {
            throw HwnasError("cannot append to \(url.path): \(JSONFormat.describe(error))")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            try handle.synchronize()
        } catch {
            throw HwnasError("cannot append to \(url.path): \(JSONFormat.describe(error))")
        }
        entries[entry.network] = entry
    }

    /// The lock, waiting while another process holds it (appends are short).
    static func waitForLock(_ url: URL) throws -> FileLock {
        let start = MonotonicClock.now()
        while true {
            if let lock = try FileLock.tryAcquire(url) { return lock }
            if MonotonicClock.seconds(since: start) > 60 {
                throw HwnasError("\(url.path) has been locked for a minute by \(FileLock.holder(of: url)); is that process stuck?")
            }
            usleep(20_000)
        }
    }
}
