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
    /// Rows left out of the percentage figures because the measurement is zero; absent when none.
    public var zeroTargetsExcluded: Int?

    public init(predicted: [Double], measured: [Double]) {
        precondition(predicted.count == measured.count && !predicted.isEmpty)
        let errors = PredictionErrors(predicted: predicted, measured: measured)
        mape = errors.meanAbsolutePercent
        maxApe = errors.maxAbsolutePercent
        within5 = errors.sharePercent(within: 5)
        within10 = errors.sharePercent(within: 10)
        zeroTargetsExcluded = errors.zeroTargetsExcludedIfAny
        kendallTau = RankCorrelation.kendallTau(predicted, measured)
        spearmanRho = RankCorrelation.spearmanRho(predicted, measured)
    }
}
