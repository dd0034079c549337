import Support

/// How well out-of-fold predictions match the measured accuracy.
public struct PredictorMetrics: Codable, Equatable, Sendable {
    /// Rows compared.
    public var n: Int
    /// Mean absolute error, in the metric's own unit (top-1 points).
    public var mae: Double
    /// Mean absolute percentage error, percent.
    public var mape: Double
    /// Root mean squared error, in the metric's unit.
    public var rmse: Double
    /// Largest absolute error.
    public var maxError: Double
    /// Kendall's tau-b: rank agreement, which is what a search needs most.
    public var kendallTau: Double
    public var spearmanRho: Double

    public init(predicted: [Double], measured: [Double]) {
        precondition(predicted.count == measured.count && !predicted.isEmpty)
        n = predicted.count
        let count = Double(n)
        var absolute = 0.0, percent = 0.0, squared = 0.0, worst = 0.0
        for (p, y) in zip(predicted, measured) {
            let e = abs(p - y)
            absolute += e
            percent += y != 0 ? e / abs(y) * 100 : 0
            squared += e * e
            worst = max(worst, e)
        }
        mae = absolute / count
        mape = percent / count
        rmse = (squared / count).squareRoot()
        maxError = worst
        kendallTau = RankCorrelation.kendallTau(predicted, measured)
        spearmanRho = RankCorrelation.spearmanRho(predicted, measured)
    }

    /// MAPE alone, for the grid searches (no rank statistics).
    public static func mape(predicted: [Double], measured: [Double]) -> Double {
        var percent = 0.0
        for (p, y) in zip(predicted, measured) where y != 0 { percent += abs(p - y) / abs(y) * 100 }
        return percent / Double(max(predicted.count, 1))
    }
}
