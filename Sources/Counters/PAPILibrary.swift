import CPapi
import Foundation
import Support

/// Process-wide PAPI initialisation, done once, thread-aware.
///
/// `PAPI_library_init` returns the library version on success (not `PAPI_OK`), and counters
/// are kept per thread only after `PAPI_thread_init`; both are handled here so no caller has to.
public enum PAPILibrary {
    private static let initialized: Result<PAPIVersion, HwnasError> = {
        let result = PAPI_library_init(hwnas_papi_ver_current())
        guard result == hwnas_papi_ver_current() else {
            let reason = result > 0 ? "library version \(result) differs from the headers' \(hwnas_papi_ver_current())"
                : errorText(result)
            return .failure(HwnasError("PAPI could not be initialised: \(reason)"))
        }
        let threads = hwnas_papi_thread_init()
        guard threads == PAPI_OK else {
            return .failure(HwnasError("PAPI thread support could not be initialised: \(errorText(threads))"))
        }
        return .success(PAPIVersion(
            major: Int(hwnas_papi_version_major(result)),
            minor: Int(hwnas_papi_version_minor(result)),
            revision: Int(hwnas_papi_version_revision(result))))
    }()

    /// Initialises PAPI (once per process), registers the calling thread with it, and returns
    /// its version.
    ///
    /// PAPI must know a thread before that thread calls into it: even an event-name lookup on an
    /// unregistered thread dereferences a null thread record and crashes.
    @discardableResult
    public static func initialize() throws -> PAPIVersion {
        try serialized {
            let version = try initialized.get()
            let registered = PAPI_register_thread()
            guard registered == PAPI_OK else {
                throw HwnasError("PAPI could not register this thread: \(errorText(registered))")
            }
            Thread.current.threadDictionary[registeredKey] = true
            return version
        }
    }

    /// Tells PAPI the calling thread is done with counters, when it registered. Threads that
    /// counted call this before they end: a later thread may get the same pthread id and must
    /// not inherit a dead thread's record.
    public static func unregisterCurrentThread() {
        guard Thread.current.threadDictionary[registeredKey] as? Bool == true else { return }
        serialized {
            _ = PAPI_unregister_thread()
            Thread.current.threadDictionary[registeredKey] = nil
        }
    }

    /// Runs `body` holding the process-wide PAPI lock. PAPI's bookkeeping (event tables, thread
    /// records, event sets) is not safe under concurrent calls from several threads, so every
    /// call into it goes through here; uncontended, the lock costs tens of nanoseconds.
    static func serialized<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private static let lock = NSRecursiveLock()
    private static let registeredKey = "hwnas.papi.registered"

    /// PAPI's symbolic name and text for an error code, e.g. "PAPI_ENOEVNT: Event does not exist".
    public static func errorText(_ code: Int32) -> String {
        let text = PAPI_strerror(code).map { String(cString: $0) } ?? "unknown error"
        if let name = errorNames[code] {
            return "\(name): \(text)"
        }
        return "error \(code): \(text)"
    }

    private static let errorNames: [Int32: String] = [
        -1: "PAPI_EINVAL", -2: "PAPI_ENOMEM", -3: "PAPI_ESYS", -4: "PAPI_ECMP", -5: "PAPI_ECLOST",
        -6: "PAPI_EBUG", -7: "PAPI_ENOEVNT", -8: "PAPI_ECNFLCT", -9: "PAPI_ENOTRUN",
        -10: "PAPI_EISRUN", -11: "PAPI_ENOEVST", -12: "PAPI_ENOTPRESET", -13: "PAPI_ENOCNTR",
        -14: "PAPI_EMISC", -15: "PAPI_EPERM", -16: "PAPI_ENOINIT", -17: "PAPI_ENOCMP",
        -18: "PAPI_ENOSUPP", -19: "PAPI_ENOIMPL", -20: "PAPI_EBUF", -21: "PAPI_EINVAL_DOM",
        -22: "PAPI_EATTR", -23: "PAPI_ECOUNT", -24: "PAPI_ECOMBO", -25: "PAPI_ECMP_DISABLED",
    ]
}
