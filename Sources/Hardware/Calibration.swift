import Support

/// The machine's measured roofline: peak sgemm throughput and memory bandwidth.
///
/// Every later result says how close it came to these, so they are measured on the machine,
/// pinned, with repetitions, never taken from a data sheet.
public struct Calibration: Codable, Equatable, Sendable {
    /// Median sgemm GFLOP/s on one pinned core (matrix order in `sgemm1Thread.size`).
    public var sgemmGflops1Thread: Double
    /// Median sgemm GFLOP/s with one BLAS thread pinned to each core.
    public var sgemmGflopsAllThreads: Double
    /// Median STREAM triad bandwidth with one thread per core (24 bytes per element counted,
    /// as STREAM does: write-allocate traffic is not).
    public var triadGBs: Double
    /// Median STREAM triad bandwidth on one pinned core.
    public var triadGBs1Thread: Double
    public var budget: CalibrationBudget
    public var sgemm1Thread: CalibrationMeasurement
    public var sgemmAllThreads: CalibrationMeasurement
    public var triad1Thread: CalibrationMeasurement
    public var triadAllThreads: CalibrationMeasurement

    public init(budget: CalibrationBudget, sgemm1Thread: CalibrationMeasurement,
                sgemmAllThreads: CalibrationMeasurement, triad1Thread: CalibrationMeasurement,
                triadAllThreads: CalibrationMeasurement) {
        self.budget = budget
        self.sgemm1Thread = sgemm1Thread
        self.sgemmAllThreads = sgemmAllThreads
        self.triad1Thread = triad1Thread
        self.triadAllThreads = triadAllThreads
        sgemmGflops1Thread = sgemm1Thread.median
        sgemmGflopsAllThreads = sgemmAllThreads.median
        triadGBs = triadAllThreads.median
        triadGBs1Thread = triad1Thread.median
    }
}
