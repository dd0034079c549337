import Support

/// A distribution-free 95% confidence interval for the median, from order statistics.
///
/// Timing samples are skewed (a long upper tail from interrupts and co-tenants), so the interval
/// assumes nothing about their distribution: with n sorted samples, the median lies between the
/// l-th and u-th with l, u = n/2 -/+ 1.96 sqrt(n)/2 (normal approximation to the binomial).
public struct MedianInterval: Equatable, Sendable {
    public var median: Double
    public var lower: Double
    public var upper: Double

    /// nil for fewer than 6 samples, where no interval of that level exists.
    public init?(sorted samples: [Double]) {
        let n = samples.count
        guard n >= 6 else { return nil }
        let half = 1.96 * Double(n).squareRoot() / 2
        let low = max(Int((Double(n) / 2 - half).rounded(.down)), 1)
        let high = min(Int((Double(n) / 2 + half).rounded(.up)) + 1, n)
        median = SampleStatistics.percentile(samples, 50)
        lower = samples[low - 1]
        upper = samples[high - 1]
    }

    /// Half the interval's width relative to the median (0.01 = 1%).
    public var relativeHalfWidth: Double {
        median > 0 ? (upper - lower) / 2 / median : .infinity
    }
}
