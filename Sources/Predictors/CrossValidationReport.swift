/// How a predictor was chosen and how well it predicts sub-networks it was not trained on.
public struct CrossValidationReport: Codable, Equatable, Sendable {
    public var folds: Int
    public var seed: UInt64
    /// Training rows.
    public var rows: Int
    /// Distinct sub-networks among them (the groups the folds keep together).
    public var networks: Int
    /// What makes two rows the same sub-network.
    public var grouping: String
    /// Every model family compared, with its nested CV figures.
    public var candidates: [CandidateReport]
    /// The family with the lowest nested CV MAPE.
    public var chosen: PredictorKind
    /// Its nested CV figures (the same as its entry in `candidates`).
    public var metrics: PredictorMetrics
    /// Wall time of the cross-validation and the final fit.
    public var fitSeconds: Double
    /// Threads the fits ran on.
    public var threads: Int
    /// Mean time of one `predict` of the final model, measured after the fit on random
    /// sub-networks of the space (a search calls it tens of thousands of times).
    public var predictMicroseconds: Double
    /// The fold and out-of-fold prediction of every training row, file by file.
    public var assignment: [FoldAssignment]
}
