import CPlatform

/// Whether a thread flushes denormal floats to zero: MXCSR's FTZ (denormal results become 0) and
/// DAZ (denormal inputs read as 0) bits.
///
/// Arithmetic on denormals takes a slow microcode path on many x86 cores, so the same block timed
/// on other random weights can be several times slower, data-dependently. The rule is hwnas's:
/// every thread that computes a measured block flushes (`PinnedThread`, `PinnedTeam` and, through
/// `PinnedDevice`, the BLAS's workers), as TensorFlow does and ONNX Runtime can; profiles record it
/// in their settings (`flushDenormals`).
public enum DenormalMode {
    /// The rule: measuring threads flush denormals to zero.
    public static let rule = true

    /// True when the calling thread has both FTZ and DAZ set (false where there is no MXCSR).
    public static var isFlushing: Bool {
        let bits = hwnas_mxcsr_flush_denormals_bits()
        return bits != 0 && hwnas_mxcsr_get() & bits == bits
    }

    /// Sets or clears FTZ and DAZ on the calling thread only (new threads it starts inherit them).
    public static func setFlushing(_ flush: Bool) {
        let bits = hwnas_mxcsr_flush_denormals_bits()
        let current = hwnas_mxcsr_get()
        hwnas_mxcsr_set(flush ? current | bits : current & ~bits)
    }

    /// Runs `body` with the calling thread's mode set to `flush`, and restores the previous mode.
    public static func with<T>(flushing flush: Bool, _ body: () throws -> T) rethrows -> T {
        let saved = hwnas_mxcsr_get()
        defer { hwnas_mxcsr_set(saved) }
        setFlushing(flush)
        return try body()
    }
}
