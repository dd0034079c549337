import Foundation

/// Order statistics and spread of a set of measurements.
///
/// Medians and percentiles rather than means: timing samples on a shared machine have a long
/// upper tail, and the median is what a table should hold.
public struct SampleStatistics: Codable, Equatable, Sendable {
    public var n: Int
    public var median: Double
    public var mean: Double
    public var min: Double
    public var max: Double
    public var p10: Double
    public var p90: Double
    /// Coefficient of variation (standard deviation / mean), a fraction.
    public var cv: Double

    public init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "statistics of no samples")
        let sorted = samples.sorted()
        n = sorted.count
        median = Self.percentile(sorted, 50)
        p10 = Self.percentile(sorted, 10)
        p90 = Self.percentile(sorted, 90)
        min = sorted.first!
        max = sorted.last!
        mean = sorted.reduce(0, +) / Double(n)
        if n > 1 {
            let m = mean
            let variance = sorted.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
            cv = mean == 0 ? 0 : variance.squareRoot() / mean
        } else {
            cv = 0
        }
    }

    /// Linear interpolation between closest ranks (the "R7" / NumPy default definition).
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty)
        if sorted.count == 1 { return sorted[0] }
        let rank = (p / 100) * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }
}
