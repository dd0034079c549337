import Foundation

/// Serialises tests that keep a core busy (calibration, pinned busy loops, counted workloads),
/// across suites and test processes, so that they do not skew one another.
///
/// Swift Testing runs suites of all test targets in one process in parallel; `.serialized`
/// orders tests within a suite only. An exclusive `flock` on one shared file orders the rest.
public enum CPUExclusive {
    public static func run<T>(_ body: () throws -> T) rethrows -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-tests-cpu.lock").path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0, errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
