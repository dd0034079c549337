import Foundation
import Hardware
import Support

/// The locks a command holds until it exits, so that two runs cannot spoil each other's work:
/// one writer per device folder (`profile`, `tables`), one search per results folder
/// (`search`, `compare`), and one measurer per processing unit (anything that measures pinned).
///
/// Every lock is taken without waiting: a second run fails at once and names the process that
/// holds the lock. The kernel releases them when the process ends, however it ends.
public enum RunLocks {
    /// The name of the lock file in a device or results folder (ignored by git).
    public static let fileName = ".hwnas.lock"
    /// The environment variable naming the machine-wide folder of per-PU locks.
    public static let folderVariable = "HWNAS_LOCK_DIR"
    public static let defaultFolder = "/tmp/hwnas-locks"

    /// The locks taken so far, kept for the life of the process; PUs by OS index.
    nonisolated(unsafe) private static var held: [String: FileLock] = [:]
    private static let guardLock = NSLock()

    /// `<profiles-dir>/<device>`: one `profile` or `tables` run writes into a device folder at a time.
    public static func deviceFolder(_ folder: URL) throws {
        try take(folder.appendingPathComponent(fileName)) { holder in
            "\(folder.relativePath) is being written by another hwnas run (\(holder)); wait until it finishes"
        }
    }

    /// `<results-dir>/<space>`: one `search` or `compare` writes a space's results at a time.
    public static func resultsFolder(_ folder: URL) throws {
        try take(folder.appendingPathComponent(fileName)) { holder in
            "\(folder.relativePath) is in use by another hwnas search or comparison (\(holder)); wait until it finishes"
        }
    }

    /// The PUs a measurement pins to: two measurements on one PU slow each other down and both
    /// record the other's interference as the block's latency. `option` is the command's option
    /// that picks other PUs, when it has one.
    public static func processingUnits(_ pus: [Int], option: String? = nil) throws {
        _ = try takeProcessingUnits(pus, option: option)
    }

    /// The PUs locked for `body` only (a calibration before a profile on fewer PUs); PUs this
    /// process already holds stay held.
    public static func processingUnits<T>(_ pus: [Int], during body: () throws -> T) throws -> T {
        let taken = try takeProcessingUnits(pus, option: nil)
        defer { release(taken) }
        return try body()
    }

    /// The PUs a calibration measures on: the first PU of every core.
    public static func calibrationPUs() throws -> [Int] {
        try Topology.current().corePus.compactMap(\.first)
    }

    /// Takes the locks of `pus` not yet held; returns the keys of those it took.
    private static func takeProcessingUnits(_ pus: [Int], option: String?) throws -> [String] {
        let folder = machineFolder
        var taken: [String] = []
        do {
            for pu in Set(pus).sorted() {
                let url = folder.appendingPathComponent("pu\(pu).lock")
                if try take(url, sharedByAllUsers: true, refusal: { holder in
                    "PU \(pu) is measuring for another hwnas run (\(holder)); two measurements on one PU skew each other: wait until it finishes"
                        + (option.map { ", or measure on other PUs (\($0))" } ?? "")
                }) {
                    taken.append(url.standardizedFileURL.path)
                }
            }
        } catch {
            release(taken)
            throw error
        }
        return taken
    }

    private static func release(_ keys: [String]) {
        guardLock.withLock {
            for key in keys { held.removeValue(forKey: key)?.release() }
        }
    }

    /// `$HWNAS_LOCK_DIR`, else /tmp/hwnas-locks: one folder for every hwnas of the machine.
    public static var machineFolder: URL {
        let value = ProcessInfo.processInfo.environment[folderVariable] ?? ""
        return URL(fileURLWithPath: value.isEmpty ? defaultFolder : value)
    }

    /// Takes the lock at `url` unless this process holds it already; true when it took it.
    @discardableResult
    private static func take(_ url: URL, sharedByAllUsers: Bool = false, refusal: (FileLock.Holder) -> String) throws -> Bool {
        let key = url.standardizedFileURL.path
        return try guardLock.withLock {
            if held[key] != nil { return false }
            guard let lock = try FileLock.tryAcquire(url, sharedByAllUsers: sharedByAllUsers) else {
                throw HwnasError(refusal(FileLock.holder(of: url)))
            }
            held[key] = lock
            return true
        }
    }
}
