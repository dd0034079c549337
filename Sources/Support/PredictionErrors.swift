/// The error figures of predictions against their targets, computed in one place for every
/// report that needs them (cost-table validation, accuracy predictors), so that the reports
/// cannot drift apart. A percentage of a zero target does not exist: percentage figures leave
/// such rows out and count them, instead of dividing by zero or counting them as exact.
public struct PredictionErrors: Sendable {
    /// Rows compared.
    public let count: Int
    /// |predicted - target| per row.
    public let absolute: [Double]
    /// |predicted - target| / |target| * 100 per row with a non-zero target, in row order.
    public let percent: [Double]

    public init(predicted: [Double], measured: [Double]) {
        precondition(predicted.count == measured.count)
        count = predicted.count
        absolute = zip(predicted, measured).map { abs($0 - $1) }
        percent = zip(absolute, measured).compactMap { error, target in target != 0 ? error / abs(target) * 100 : nil }
    }

    /// Rows left out of the percentage figures because their target is zero.
    public var zeroTargetsExcluded: Int { count - percent.count }

    /// The count of left-out rows as files record it: absent when there are none.
    public var zeroTargetsExcludedIfAny: Int? { zeroTargetsExcluded > 0 ? zeroTargetsExcluded : nil }

    /// Mean absolute error (0 for no rows), and the root mean square and largest of the errors.
    public var meanAbsolute: Double { count == 0 ? 0 : absolute.reduce(0, +) / Double(count) }

    public var rootMeanSquared: Double { count == 0 ? 0 : (absolute.reduce(0) { $0 + $1 * $1 } / Double(count)).squareRoot() }

    public var maxAbsolute: Double { absolute.max() ?? 0 }

    /// Mean absolute percentage error over the rows with a non-zero target (0 when none has one).
    public var meanAbsolutePercent: Double { percent.isEmpty ? 0 : percent.reduce(0, +) / Double(percent.count) }

    public var maxAbsolutePercent: Double { percent.max() ?? 0 }

    /// The share of rows (with a non-zero target) within `limit` percent of it, in percent.
    public func sharePercent(within limit: Double) -> Double {
        percent.isEmpty ? 0 : Double(percent.filter { $0 <= limit }.count) / Double(percent.count) * 100
    }
}
