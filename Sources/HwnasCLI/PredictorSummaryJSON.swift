import Predictors
import Search

/// `hwnas predictor show --json`: what the text report says, as JSON another tool can read
/// (the predictor file itself also holds the model and every row's fold).
struct PredictorSummaryJSON: Encodable {
    struct Candidate: Encodable {
        var kind: String
        var chosen: Bool
        /// Outer cross-validation of the family: MAPE in percent, MAE, RMSE, ranks.
        var crossValidation: PredictorMetrics
        var hyperParameters: HyperParameters
        var hyperParametersSummary: String
    }

    var file: String
    var space: String
    var metric: String
    var chosen: String
    var rows: Int
    var networks: Int
    var unmeasuredRows: Int
    var folds: Int
    var seed: UInt64
    var grouping: String
    var candidates: [Candidate]
    /// The chosen family's cross-validated error over every row.
    var metrics: PredictorMetrics
    /// Genes constant in the data, whole (a search holds them fixed).
    var constantGenes: [String: [Int]]
    var constantSlots: [ConstantSlot]
    var fitSeconds: Double
    var threads: Int
    var predictMicroseconds: Double
    var dataHash: String
    var trainingFiles: [String]
    var hwnasVersion: String
    var createdAt: String

    init(predictor: AccuracyPredictor, file: String) {
        let cv = predictor.crossValidation
        self.file = file
        space = predictor.space
        metric = predictor.metric
        chosen = cv.chosen.rawValue
        rows = cv.rows
        networks = cv.networks
        unmeasuredRows = predictor.unmeasuredRows
        folds = cv.folds
        seed = cv.seed
        grouping = cv.grouping
        candidates = cv.candidates.map {
            Candidate(kind: $0.kind.rawValue, chosen: $0.kind == cv.chosen, crossValidation: $0.outer,
                      hyperParameters: $0.selected, hyperParametersSummary: $0.selected.summary)
        }
        metrics = cv.metrics
        constantGenes = predictor.constantGenes
        constantSlots = predictor.constantSlots
        fitSeconds = cv.fitSeconds
        threads = cv.threads
        predictMicroseconds = cv.predictMicroseconds
        dataHash = predictor.dataHash
        trainingFiles = predictor.trainingFiles
        hwnasVersion = predictor.hwnasVersion
        createdAt = predictor.createdAt
    }
}
