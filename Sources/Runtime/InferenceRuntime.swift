import SuperNet

/// What the profiler measures with: something that prepares a block (or a whole sub-network)
/// for given options and times its calls, and says what it is. The native runtime runs hwnas's
/// kernels in this process; another (ONNX Runtime, oneDNN) may run in a process of its own.
public protocol InferenceRuntime: Sendable {
    /// Name, version, kernel variant and options, stored in a profile's settings as they are.
    func describe(options: ExecutionOptions) -> RuntimeDescription

    /// False when the blocks run in another process, which this process's counters do not see.
    var runsInThisProcess: Bool { get }

    /// `block` built to run with `options`, weights from `seed`.
    func prepare(_ block: Block, options: ExecutionOptions, seed: UInt64) throws -> any PreparedWorkload

    /// A whole sub-network of `space` built to run with `options`, its blocks chained.
    func prepare(subnet: Subnet, space: any SearchSpace, settings: SpaceSettings, options: ExecutionOptions,
                 seed: UInt64) throws -> any PreparedWorkload
}
