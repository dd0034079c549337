import Support

/// How well out-of-fold predictions match the measured accuracy.
public struct PredictorMetrics: Codable, Equatable, Sendable {
    /// Rows compared.
    public var n: Int
    /// Mean absolute error, in the metric's own unit (top-1 points).
    public var mae: Double
    /// Mean absolute percentage error, percent, over the rows whose measured value is not zero.
    public var mape: Double
    /// Root mean squared error, in the metric's unit.
    public var rmse: Double
    /// Largest absolute error.
    public var maxError: Double
    /// Kendall's tau-b: rank agreement, which is what a search needs most.
    public var kendallTau: Double
    public var spearmanRho: Double
    /// Rows left out of the MAPE because their measured value is zero; absent when none.
    public var zeroTargetsExcluded: Int?

    public init(predicted: [Double], measured: [Double]) {
        precondition(predicted.count == measured.count && !predicted.isEmpty)
        let errors = PredictionErrors(predicted: predicted, measured: measured)
        n = errors.count
        mae = errors.meanAbsolute
        mape = errors.meanAbsolutePercent
        rmse = errors.rootMeanSquared
        maxError = errors.maxAbsolute
        zeroTargetsExcluded = errors.zeroTargetsExcludedIfAny
        kendallTau = RankCorrelation.kendallTau(predicted, measured)
        spearmanRho = RankCorrelation.spearmanRho(predicted, measured)
    }

    /// MAPE alone, for the grid searches (no rank statistics).
    public static func mape(predicted: [Double], measured: [Double]) -> Double {
        PredictionErrors(predicted: predicted, measured: measured).meanAbsolutePercent
    }
}
