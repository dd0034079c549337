import Support

/// One calibrated figure: its median and spread over repetitions, and how it was obtained.
public struct CalibrationMeasurement: Codable, Equatable, Sendable {
    /// "sgemm" or "triad".
    public var kernel: String
    /// "GFLOP/s" or "GB/s".
    public var unit: String
    /// Matrix order (sgemm) or array length in elements (triad).
    public var size: Int
    public var threads: Int
    /// OS indices of the PUs the work was pinned to.
    public var pus: [Int]
    public var median: Double
    public var min: Double
    public var max: Double
    public var p10: Double
    public var p90: Double
    /// Coefficient of variation of the repetitions, a fraction.
    public var cv: Double
    public var n: Int

    public init(kernel: String, unit: String, size: Int, threads: Int, pus: [Int], samples: [Double]) {
        let stats = SampleStatistics(samples)
        self.kernel = kernel
        self.unit = unit
        self.size = size
        self.threads = threads
        self.pus = pus
        median = stats.median
        min = stats.min
        max = stats.max
        p10 = stats.p10
        p90 = stats.p90
        cv = stats.cv
        n = stats.n
    }
}
