import Support

/// How well predictions match measurements: the figures every cost table reports.
public struct AccuracyMetrics: Codable, Equatable, Sendable {
    /// Mean absolute percentage error, percent.
    public var mape: Double
    /// Largest absolute percentage error, percent.
    public var maxApe: Double
    /// Share of predictions within +-5% of the measurement, percent.
    public var within5: Double
    /// Share within +-10%, percent.
    public var within10: Double
    /// Kendall's tau-b between predicted and measured (rank agreement, -1..1).
    public var kendallTau: Double
    /// Spearman's rank correlation.
    public var spearmanRho: Double

    public init(predicted: [Double], measured: [Double]) {
        precondition(predicted.count == measured.count && !predicted.isEmpty)
        let errors = zip(predicted, measured).map { abs($0 - $1) / $1 * 100 }
        mape = errors.reduce(0, +) / Double(errors.count)
        maxApe = errors.max() ?? 0
        within5 = Double(errors.filter { $0 <= 5 }.count) / Double(errors.count) * 100
        within10 = Double(errors.filter { $0 <= 10 }.count) / Double(errors.count) * 100
        kendallTau = RankCorrelation.kendallTau(predicted, measured)
        spearmanRho = RankCorrelation.spearmanRho(predicted, measured)
    }
}
