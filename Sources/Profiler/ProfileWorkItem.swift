import Runtime

/// One entry to profile: its cost-table key, work per call, and how to prepare what runs it.
/// Preparing is deferred so that only one chunk of blocks holds memory at a time.
public struct ProfileWorkItem {
    public var key: String
    /// Floating-point operations per call (2 x MACs, plus what the block counts beyond them).
    public var flops: Double
    /// Bytes of weights and activations one call reads and writes at least once.
    public var bytes: Double
    /// Allocates the block (weights, buffers) in its runtime, ready to be timed.
    public var prepare: () throws -> any PreparedWorkload

    public init(key: String, flops: Double, bytes: Double, prepare: @escaping () throws -> any PreparedWorkload) {
        self.key = key
        self.flops = flops
        self.bytes = bytes
        self.prepare = prepare
    }

    /// An entry run by a closure in this process (`build` returns one call), timed natively.
    public init(key: String, flops: Double, bytes: Double, build: @escaping () throws -> () -> Void) {
        self.init(key: key, flops: flops, bytes: bytes) { TimedClosure(try build()) }
    }
}
