/// One entry to profile: its cost-table key, work per call, and how to build the code that runs
/// it. Building is deferred so that only one chunk of blocks holds memory at a time.
public struct ProfileWorkItem {
    public var key: String
    /// Floating-point operations per call (2 x MACs, plus what the block counts beyond them).
    public var flops: Double
    /// Bytes of weights and activations one call reads and writes at least once.
    public var bytes: Double
    /// Allocates the block (weights, buffers) and returns one call of it.
    public var build: () throws -> () -> Void

    public init(key: String, flops: Double, bytes: Double, build: @escaping () throws -> () -> Void) {
        self.key = key
        self.flops = flops
        self.bytes = bytes
        self.build = build
    }
}
