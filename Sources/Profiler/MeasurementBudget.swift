/// How hard the profiler works per entry: the stopping rule's time limits.
///
/// Every budget warms up (at least 5 calls and 50 ms, more for `thorough`), then takes samples in
/// interleaved passes until the median's 95% confidence half-width is at most `targetHalfWidth`
/// of the median, or the entry's time is spent.
public enum MeasurementBudget: String, Codable, CaseIterable, Sendable {
    case quick
    case standard
    case thorough

    /// Seconds of sampling per entry, summed over passes (warm-up not counted).
    public var secondsPerEntry: Double {
        switch self {
        case .quick: 0.15
        case .standard: 0.64
        case .thorough: 2.4
        }
    }

    /// Passes over the entries of a chunk; each pass spends its share of every entry's time.
    public var passes: Int {
        switch self {
        case .quick: 3
        case .standard: 4
        case .thorough: 8
        }
    }

    /// Warm-up before the first pass: at least this many calls and this many seconds.
    public var warmupCalls: Int { 5 }
    public var warmupSeconds: Double { self == .thorough ? 0.1 : 0.05 }

    /// Samples needed before the stopping rule is consulted.
    public var minimumSamples: Int { self == .quick ? 7 : 15 }

    /// Relative half-width of the median's 95% confidence interval that stops sampling.
    public var targetHalfWidth: Double { 0.01 }

    /// A sample times `k` calls, with `k` chosen so one sample lasts at least this long.
    public var minimumSampleSeconds: Double { 50e-6 }
}
