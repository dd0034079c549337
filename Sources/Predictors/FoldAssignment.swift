/// Which cross-validation fold each training row of one file fell in, so that other tools (the
/// scikit-learn reference in `scripts/predictor-reference`) can be scored on exactly the same split.
public struct FoldAssignment: Codable, Equatable, Sendable {
    public var file: String
    /// 1-based lines of the rows used (rows with an unmeasured metric are left out).
    public var lines: [Int]
    /// The fold of each of those rows.
    public var folds: [Int]
    /// The chosen model's out-of-fold prediction of each row (nested CV), so the reported
    /// figures can be recomputed.
    public var predicted: [Double]

    public init(file: String, lines: [Int], folds: [Int], predicted: [Double]) {
        self.file = file
        self.lines = lines
        self.folds = folds
        self.predicted = predicted
    }
}
