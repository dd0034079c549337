import Support

/// The timing of one entry in milliseconds per call, with its spread and stability verdict.
public struct EntryStatistics: Codable, Equatable, Sendable {
    public var medianMs: Double
    public var meanMs: Double
    public var p10Ms: Double
    public var p90Ms: Double
    public var minMs: Double
    /// Coefficient of variation, a fraction.
    public var cv: Double
    public var n: Int
    /// Calls timed together in one sample (1 unless a call is very short).
    public var callsPerSample: Int
    /// Half-width of the median's 95% confidence interval, percent of the median.
    public var ciHalfWidthPercent: Double?
    /// True when the CV stayed above 5%: the entry is flagged, never hidden.
    public var unstable: Bool
    /// Samples left out because the speed probe found the core running slow during their slice
    /// (another tenant of a shared host); 0 when none were, or when too few others were left.
    public var contendedSamples: Int = 0

    /// The CV above which an entry is flagged unstable.
    public static let unstableCV = 0.05

    public init(secondsPerCall samples: [Double], callsPerSample: Int) {
        let stats = SampleStatistics(samples.map { $0 * 1000 })
        medianMs = stats.median
        meanMs = stats.mean
        p10Ms = stats.p10
        p90Ms = stats.p90
        minMs = stats.min
        cv = stats.cv
        n = stats.n
        self.callsPerSample = callsPerSample
        ciHalfWidthPercent = MedianInterval(sorted: samples.sorted()).map { $0.relativeHalfWidth * 100 }
        unstable = stats.cv > Self.unstableCV
    }
}
