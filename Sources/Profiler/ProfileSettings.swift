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

    public init(threads: Int, cores: [Int], batch: Int, budget: MeasurementBudget, sequence: Int?,
                resolutions: [Int]?, events: [String]) {
        self.threads = threads
        self.cores = cores
        self.batch = batch
        self.budget = budget
        self.sequence = sequence
        self.resolutions = resolutions
        self.events = events
    }

    public var spaceSettings: SpaceSettings {
        SpaceSettings(sequence: sequence, resolutions: resolutions)
    }
}
