import CPlatform

/// What the machine was doing around a profile, so a reader can judge its numbers.
public struct NoiseRecord: Codable, Equatable, Sendable {
    /// 1, 5 and 15 minute load averages when the run started and ended.
    public var loadAverageBefore: [Double]
    public var loadAverageAfter: [Double]
    /// Involuntary context switches of the measuring thread over all entries.
    public var involuntaryContextSwitches: Int
    /// CPU migrations of the measuring thread, when perf::CPU-MIGRATIONS counts (pinned: 0).
    public var cpuMigrations: Double?
    /// Entries whose CV stayed above 5%.
    public var unstableEntries: Int

    public init(loadAverageBefore: [Double], loadAverageAfter: [Double], involuntaryContextSwitches: Int,
                cpuMigrations: Double?, unstableEntries: Int) {
        self.loadAverageBefore = loadAverageBefore
        self.loadAverageAfter = loadAverageAfter
        self.involuntaryContextSwitches = involuntaryContextSwitches
        self.cpuMigrations = cpuMigrations
        self.unstableEntries = unstableEntries
    }

    /// The load averages now.
    public static func loadAverage() -> [Double] {
        var values = [Double](repeating: 0, count: 3)
        guard hwnas_load_average(&values) != 0 else { return [] }
        return values
    }
}
