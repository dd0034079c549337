import Foundation

/// An advisory exclusive lock (`flock`) on a file, that says who holds it.
///
/// The holder writes its process id and command line into the file, so that a run refused
/// because of it can name the other process. The kernel releases the lock when the holder exits,
/// however it exits, so a lock file left behind never blocks anyone; lock files are never
/// removed (a removed file would let two processes lock two different files of one name).
public final class FileLock: @unchecked Sendable {
    /// Who holds a lock, as its lock file says.
    public struct Holder: Sendable, CustomStringConvertible {
        public var pid: Int32?
        public var command: String?

        public var description: String {
            switch (pid, command) {
            case let (pid?, command?): return "pid \(pid): \(command)"
            case let (pid?, nil): return "pid \(pid)"
            default: return "a process that has not said which"
            }
        }
    }

    public let url: URL
    private var descriptor: Int32

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock at `url` without waiting, creating the file (and its folder) when missing;
    /// nil when another open file description holds it (another process, or this one through
    /// another `FileLock`). `sharedByAllUsers` makes a folder it creates and the file open to
    /// every user of the machine (a machine-wide lock folder).
    public static func tryAcquire(_ url: URL, sharedByAllUsers: Bool = false) throws -> FileLock? {
        let folder = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.path) {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw HwnasError("cannot create the lock folder \(folder.path): \(String(cString: strerror(errno)))")
            }
            // The umask would narrow it; sticky, as /tmp is.
            if sharedByAllUsers { chmod(folder.path, 0o1777) }
        }
        var fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        var writable = true
        if fd >= 0 {
            if sharedByAllUsers { fchmod(fd, 0o666) }
        } else if errno == EACCES {
            // Another user's lock file: it can still be locked, not written.
            fd = open(url.path, O_RDONLY | O_CLOEXEC)
            writable = false
        }
        guard fd >= 0 else {
            throw HwnasError("cannot open the lock file \(url.path): \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let reason = errno
            close(fd)
            if reason == EWOULDBLOCK { return nil }
            throw HwnasError("cannot lock \(url.path): \(String(cString: strerror(reason)))")
        }
        if writable {
            let arguments = CommandLine.arguments.enumerated().map { index, argument in
                index == 0 ? URL(fileURLWithPath: argument).lastPathComponent : quoted(argument)
            }
            let text = "pid \(getpid())\n\(arguments.joined(separator: " "))\n"
            _ = ftruncate(fd, 0)
            _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        }
        return FileLock(url: url, descriptor: fd)
    }

    /// What the lock file at `url` says about its holder.
    public static func holder(of url: URL) -> Holder {
        guard let data = FileManager.default.contents(atPath: url.path) else { return Holder() }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        var holder = Holder()
        if let first = lines.first, first.hasPrefix("pid "), let pid = Int32(first.dropFirst(4)) { holder.pid = pid }
        if lines.count > 1 { holder.command = String(lines[1]) }
        return holder
    }

    /// Releases the lock (also done when the object goes away or the process ends).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    private static func quoted(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.allSatisfy { $0.isLetter || $0.isNumber || "-_=.,:/+@%".contains($0) }
        return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
