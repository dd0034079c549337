import CBlas
import Foundation
import Support

/// The BLAS linked into hwnas (OpenBLAS): what it is and how many threads it uses.
public enum BlasLibrary {
    /// OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
    public static var config: String {
        openblas_get_config().map { String(cString: $0).trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }

    /// The kernel set OpenBLAS chose for this CPU, e.g. "Zen" (OPENBLAS_CORETYPE overrides it).
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// The threads OpenBLAS uses for one call.
    public static var threads: Int {
        Int(openblas_get_num_threads())
    }

    /// Sets the threads OpenBLAS uses for one call (process-wide).
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(count, 1)))
    }

    /// Replaces OpenBLAS's worker threads with new ones started from the calling thread, so they
    /// inherit its floating-point mode (MXCSR): OpenBLAS 0.3.21 as Debian builds it does not pass
    /// the caller's MXCSR to its workers on each call (no CONSISTENT_FPCSR), and its first workers
    /// are started when the library loads. Re-pin them afterwards (`pinThreads`). Call it only
    /// when no other thread is inside OpenBLAS.
    public static func restartThreads() {
        let count = threads
        stopThreads()
        openblas_set_num_threads(Int32(max(count, 1)))
    }

    /// Stops OpenBLAS's worker threads; its next parallel call starts new ones from its caller,
    /// with the caller's floating-point mode and binding. Only when no other thread is inside OpenBLAS.
    public static func stopThreads() {
        blas_thread_shutdown_()
    }

    /// Pins OpenBLAS's threads one per PU, in order; the list must have `threads` entries.
    public static func pinThreads(to pus: [Int]) throws {
        for (index, pu) in pus.enumerated() where index < threads {
            if hwnas_openblas_pin_thread(Int32(index), Int32(pu)) != 0 {
                throw HwnasError("cannot pin OpenBLAS thread \(index) to PU \(pu)")
            }
        }
    }

    /// A summary for descriptors.
    public static var description: BlasDescription {
        BlasDescription(
            name: "OpenBLAS", config: config, coreName: coreName, threads: threads,
            coreTypeOverride: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    }
}
