import Foundation
import Support

/// The append-only record of finished entries that makes profiling resumable.
///
/// One JSON object per line: first a header holding the run's fingerprint (space, device,
/// settings, machine and build), then one `ProfileEntry` per finished entry, each written with a
/// single `write` and flushed to disk. A run killed at any point leaves every finished entry; a
/// line cut short by the kill is ignored on resume.
public final class ProfileJournal {
    public let url: URL
    /// Entries already finished, by key.
    public private(set) var finished: [String: ProfileEntry] = [:]
    private let handle: FileHandle

    struct Header: Codable {
        var journal: String
        var fingerprint: String
    }

    /// Opens (or starts) the journal at `url`. An existing journal of other settings is refused
    /// unless `restart` is true, which discards it.
    public init(url: URL, fingerprint: String, restart: Bool) throws {
        self.url = url
        let manager = FileManager.default
        if restart { try? manager.removeItem(at: url) }
        if let data = manager.contents(atPath: url.path), !data.isEmpty {
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            guard let first = lines.first, let header = try? JSONDecoder().decode(Header.self, from: Data(first)),
                  header.journal == "hwnas-profile-journal-1" else {
                throw HwnasError("\(url.path) is not an hwnas profile journal; remove it or pass --restart")
            }
            guard header.fingerprint == fingerprint else {
                throw HwnasError(
                    "\(url.path) holds an unfinished profile with other settings (space, device, threads, cores, "
                        + "batch, budget, sizes, events or build); run the same command again to resume it, "
                        + "or pass --restart to discard it")
            }
            for line in lines.dropFirst() {
                if let entry = try? JSONDecoder().decode(ProfileEntry.self, from: Data(line)) {
                    finished[entry.key] = entry
                }
            }
            // Drop a partial last line so new entries start on a line of their own.
            if data.last != UInt8(ascii: "\n") {
                let valid = data[..<(data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex)]
                try Data(valid).write(to: url)
            }
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } else {
            try AtomicFile.checkWritable(folder: url.deletingLastPathComponent())
            let header = try JSONEncoder().encode(Header(journal: "hwnas-profile-journal-1", fingerprint: fingerprint))
            try AtomicFile.write(header + Data([UInt8(ascii: "\n")]), to: url)
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        }
    }

    deinit {
        try? handle.close()
    }

    /// Appends a finished entry and flushes it to disk.
    public func append(_ entry: ProfileEntry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        try handle.write(contentsOf: line)
        try handle.synchronize()
        finished[entry.key] = entry
    }

    /// Removes the journal once the final profile is written.
    public func remove() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}
