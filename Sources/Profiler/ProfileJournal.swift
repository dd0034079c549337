import Foundation
import Support

/// The append-only record of finished entries that makes profiling resumable.
///
/// One JSON object per line: first a header holding the run's fingerprint (space, device,
/// settings, machine and build), then one `ProfileEntry` per finished entry, each written with a
/// single `write` to a file opened for appending and flushed to disk. A run killed at any point
/// leaves every finished entry; a line cut short by the kill, or garbled, is reported on resume
/// and its entry measured again.
public final class ProfileJournal {
    public let url: URL
    /// Entries already finished, by key.
    public private(set) var finished: [String: ProfileEntry] = [:]
    /// Line numbers (1-based) of lines found on resume that could not be read.
    public private(set) var unreadableLines: [Int] = []
    private let handle: FileHandle

    struct Header: Codable {
        var journal: String
        var fingerprint: String
        /// The kernel variants its entries were measured with (`KernelVariants.label`); absent
        /// in journals written before it was recorded.
        var kernels: String?
    }

    /// Opens (or starts) the journal at `url`. An existing journal of other settings, or of
    /// other kernel variants (`kernelVariants`, as `KernelVariants.label` spells them), is refused
    /// unless `restart` is true, which discards it. Lines that cannot be read are said through
    /// `warn` (their entries are measured again).
    public init(url: URL, fingerprint: String, kernelVariants: String? = nil, restart: Bool,
                warn: (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }) throws {
        self.url = url
        let manager = FileManager.default
        if restart { try? manager.removeItem(at: url) }
        if let data = manager.contents(atPath: url.path), !data.isEmpty {
            // Line numbers as an editor shows them (1 = the header).
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
                .filter { !$0.element.isEmpty }.map { (number: $0.offset + 1, text: $0.element) }
            guard let first = lines.first, let header = try? JSONDecoder().decode(Header.self, from: Data(first.text)),
                  header.journal == "hwnas-profile-journal-1" else {
                throw HwnasError("\(url.path) is not an hwnas profile journal; remove it or pass --restart")
            }
            if let kernelVariants, (header.kernels ?? "unknown") != kernelVariants {
                throw HwnasError(
                    "\(url.path) holds an unfinished profile measured with other kernels (\(header.kernels ?? "unknown")) "
                        + "than this build dispatches (\(kernelVariants)); its entries cannot be mixed with this build's: "
                        + "pass --restart to discard it, or resume it with the build that made it")
            }
            guard header.fingerprint == fingerprint else {
                throw HwnasError(
                    "\(url.path) holds an unfinished profile with other settings (space, device, threads, cores, "
                        + "batch, budget, sizes, events or build); run the same command again to resume it, "
                        + "or pass --restart to discard it")
            }
            var unreadable: [Int] = []
            for line in lines.dropFirst() {
                if let entry = try? JSONDecoder().decode(ProfileEntry.self, from: Data(line.text)) {
                    finished[entry.key] = entry
                } else {
                    unreadable.append(line.number)
                }
            }
            let cutShort = data.last != UInt8(ascii: "\n")
            unreadableLines = unreadable
            if !unreadable.isEmpty {
                let shown = unreadable.prefix(10).map(String.init).joined(separator: ", ") + (unreadable.count > 10 ? ", ..." : "")
                var text = "\(url.path): \(unreadable.count) line\(unreadable.count == 1 ? "" : "s") could not be read "
                text += "(line\(unreadable.count == 1 ? "" : "s") \(shown)"
                if cutShort, unreadable.last == lines.last?.number { text += "; the last was cut short by an interrupted write" }
                text += "); their entries are measured again"
                warn(text)
            }
            // Drop a partial last line so new entries start on a line of their own.
            if cutShort {
                let valid = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 - data.startIndex + 1 } ?? 0
                guard truncate(url.path, off_t(valid)) == 0 else {
                    throw HwnasError("cannot cut the partial last line of \(url.path): \(String(cString: strerror(errno)))")
                }
            }
        } else {
            try AtomicFile.checkWritable(folder: url.deletingLastPathComponent())
            let header = try JSONEncoder().encode(Header(journal: "hwnas-profile-journal-1", fingerprint: fingerprint,
                                                           kernels: kernelVariants))
            try AtomicFile.write(header + Data([UInt8(ascii: "\n")]), to: url)
        }
        // Appending: every write lands at the end as one piece, whoever else has the file open.
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else {
            throw HwnasError("cannot open \(url.path) for appending: \(String(cString: strerror(errno)))")
        }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
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
