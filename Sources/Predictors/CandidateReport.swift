/// One model family's cross-validation: its grid, the hyper-parameters chosen inside each outer
/// fold, and the outer (nested) figures.
public struct CandidateReport: Codable, Equatable, Sendable {
    /// One grid point and its plain k-fold CV MAPE over all rows.
    public struct GridScore: Codable, Equatable, Sendable {
        public var hyperParameters: HyperParameters
        public var cvMape: Double
    }

    public var kind: PredictorKind
    /// Every grid point's k-fold CV MAPE (not nested: the score the final choice is made on).
    public var grid: [GridScore]
    /// The hyper-parameters chosen for each outer fold, by CV on the other folds only.
    public var foldChoices: [HyperParameters]
    /// Nested CV: each outer fold predicted by a model whose hyper-parameters never saw it.
    public var outer: PredictorMetrics
    /// The grid point with the lowest k-fold CV MAPE: what the final model of this family uses.
    public var selected: HyperParameters
}
