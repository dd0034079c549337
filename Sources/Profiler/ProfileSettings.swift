import Runtime
import SuperNet

/// How a profile was taken: everything that changes its numbers.
public struct ProfileSettings: Codable, Equatable, Sendable {
    /// Threads a block may use (BLAS threads; one measuring thread).
    public var threads: Int
    /// OS indices of the PUs the threads were pinned to, one per thread.
    public var cores: [Int]
    public var batch: Int
    public var budget: MeasurementBudget
    /// Tokens per sample (transformer spaces over text).
    public var sequence: Int?
    /// Input resolutions (image spaces).
    public var resolutions: [Int]?
    /// Counter events asked for.
    public var events: [String]
    /// The matrix product chosen instead of the thread count's default (nil: the default).
    public var gemm: GemmBackend?
    /// What ran the blocks, as it describes itself; stored, not interpreted. Absent in profiles
    /// written before runtimes were described: those were taken by the native runtime.
    public var runtime: RuntimeDescription?
    /// Whether every computing thread flushed denormals to zero (`DenormalMode`); nil (`unknown`)
    /// in profiles written before it was recorded.
    public var flushDenormals: Bool?

    public init(threads: Int, cores: [Int], batch: Int, budget: MeasurementBudget, sequence: Int?,
                resolutions: [Int]?, events: [String], gemm: GemmBackend? = nil, runtime: RuntimeDescription? = nil,
                flushDenormals: Bool? = nil) {
        self.threads = threads
        self.cores = cores
        self.batch = batch
        self.budget = budget
        self.sequence = sequence
        self.resolutions = resolutions
        self.events = events
        self.gemm = gemm
        self.runtime = runtime
        self.flushDenormals = flushDenormals
    }

    /// The kernel variants that ran the blocks; nil (`unknown`) when not recorded.
    public var kernelVariants: KernelVariants? { runtime?.kernelVariants }

    /// `true`, `false` or `unknown`, as messages say it.
    public var flushDenormalsLabel: String { flushDenormals.map { "\($0)" } ?? "unknown" }

    /// The options blocks are prepared with for this profile.
    public var executionOptions: ExecutionOptions {
        ExecutionOptions(batch: batch, threads: threads, gemm: gemm)
    }

    public var spaceSettings: SpaceSettings {
        SpaceSettings(sequence: sequence, resolutions: resolutions)
    }
}
