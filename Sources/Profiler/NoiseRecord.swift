import CPlatform
import Support

/// What the machine was doing around a profile, so a reader can judge its numbers.
public struct NoiseRecord: Codable, Equatable, Sendable {
    /// 1, 5 and 15 minute load averages when the run (or its last resumption) started and ended.
    public var loadAverageBefore: [Double]
    public var loadAverageAfter: [Double]
    /// Involuntary context switches of the measuring thread over all entries.
    public var involuntaryContextSwitches: Int
    /// Entries during which the measuring thread was seen on more than one PU (pinned: 0).
    public var entriesSeenOnSeveralCPUs: Int
    /// Entries whose CV stayed above 5%.
    public var unstableEntries: Int
    /// The sgemm reference over the run, one value per chunk: how steady the machine was.
    public var reference: ReferenceDrift?

    public init(loadAverageBefore: [Double], loadAverageAfter: [Double], involuntaryContextSwitches: Int,
                entriesSeenOnSeveralCPUs: Int, unstableEntries: Int, referenceGflops: [Double]) {
        self.loadAverageBefore = loadAverageBefore
        self.loadAverageAfter = loadAverageAfter
        self.involuntaryContextSwitches = involuntaryContextSwitches
        self.entriesSeenOnSeveralCPUs = entriesSeenOnSeveralCPUs
        self.unstableEntries = unstableEntries
        reference = referenceGflops.isEmpty ? nil : ReferenceDrift(Array(Set(referenceGflops)))
    }

    /// The load averages now.
    public static func loadAverage() -> [Double] {
        var values = [Double](repeating: 0, count: 3)
        guard hwnas_load_average(&values) != 0 else { return [] }
        return values
    }
}

/// The spread of the reference sgemm's GFLOP/s across the chunks of a run.
public struct ReferenceDrift: Codable, Equatable, Sendable {
    public var medianGflops: Double
    public var minGflops: Double
    public var maxGflops: Double
    /// (max - min) / median, percent.
    public var driftPercent: Double
    public var chunks: Int

    public init(_ values: [Double]) {
        let stats = SampleStatistics(values)
        medianGflops = stats.median
        minGflops = stats.min
        maxGflops = stats.max
        driftPercent = stats.median > 0 ? (stats.max - stats.min) / stats.median * 100 : 0
        chunks = values.count
    }
}
