import Foundation

/// Writes files so that a reader sees either the old content or the new, never a torn file.
///
/// The data goes to a temporary file in the destination folder, is flushed to disk, and is then
/// renamed over the destination (rename is atomic within one file system).
public enum AtomicFile {
    /// Writes `data` to `url`, creating the parent folder when missing.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HwnasError("cannot create folder \(folder.path): \(reason(error, creating: folder))")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw HwnasError("cannot write to folder \(folder.path): permission denied")
        }
        removeStaleTemporaries(of: url)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString.prefix(8)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw HwnasError("cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw HwnasError("cannot write \(url.path): \(reason(error))")
        }
        if rename(temporary.path, url.path) != 0 {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw HwnasError("cannot move \(temporary.path) to \(url.path): \(message)")
        }
    }

    /// Creates `folder` when missing and checks a file can be created in it, so that a long
    /// measurement fails before it starts rather than when its result is written.
    public static func checkWritable(folder: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw HwnasError("cannot write to \(folder.path): it is a file, not a folder")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HwnasError("cannot create folder \(folder.path): \(reason(error, creating: folder))")
        }
        let probe = folder.appendingPathComponent(".hwnas-write-check.\(getpid())")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw HwnasError("cannot write to folder \(folder.path): \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// When this process first wrote a file: temporaries older than that, of processes that
    /// are gone, are left over from a run that was killed between writing and renaming.
    private static let started = Date()

    /// Removes the temporaries of `url` (`.<name>.<pid>.<8 characters>.tmp`, the names this type
    /// gives) whose process no longer runs and that are older than this process's first write;
    /// anything else in the folder, and any temporary that may still be in use, is left alone.
    static func removeStaleTemporaries(of url: URL) {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        let started = Self.started
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(".tmp".count).split(separator: ".", omittingEmptySubsequences: false)
            guard middle.count == 2, middle[1].count == 8, let pid = Int32(middle[0]), pid > 0, pid != getpid() else { continue }
            // Alive (or not ours to signal): in use, perhaps.
            if kill(pid, 0) == 0 || errno != ESRCH { continue }
            let path = folder.appendingPathComponent(name).path
            guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  modified < started else { continue }
            try? manager.removeItem(atPath: path)
        }
    }

    /// Writes `text` as UTF-8.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Why `folder` could not be created: a file where one of its folders should be (Foundation
    /// says only "error 512" then), else the system's reason.
    private static func reason(_ error: Error, creating folder: URL) -> String {
        var path = folder.standardizedFileURL
        while path.path != "/" && !path.path.isEmpty {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) {
                if !isFolder.boolValue { return "\(path.path) is a file, not a folder" }
                break
            }
            path = path.deletingLastPathComponent()
        }
        return reason(error)
    }

    private static func reason(_ error: Error) -> String {
        if let error = error as? HwnasError { return error.message }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return ns.localizedDescription
    }
}
