import Support

/// Which calibration a table uses, chosen on the fitting sub-networks alone.
///
/// Candidates: one slope (`LinearCalibration`), then per-kind slopes (`KindCalibration`) from the
/// strongest penalty to the weakest. Each is scored by repeated k-fold cross-validation on the
/// fitting set (mean absolute percentage error over the folds); the simplest candidate whose
/// score is within one standard error of the best wins (the one-standard-error rule), so per-kind
/// slopes are used only when they predict clearly better than one slope. The held-out
/// sub-networks play no part: their figures judge the choice afterwards.
public struct CalibrationSelection: Codable, Equatable, Sendable {
    /// One candidate and its cross-validated error.
    public struct Candidate: Codable, Equatable, Sendable {
        /// `one slope` or `per kind`.
        public var model: String
        /// The per-kind penalty; nil for one slope.
        public var penalty: Double?
        /// Mean over the folds of each fold's MAPE, percent; nil when a fold could not be fitted.
        public var cvMape: Double?
        /// Standard error of that mean, percent.
        public var cvMapeStandardError: Double?
    }

    public static let oneSlope = "one slope"
    public static let perKind = "per kind"
    /// Per-kind penalties tried, simplest (strongest) first.
    public static let penalties: [Double] = [10, 1, 0.1, 0.01, 0.001]
    /// Fewer fitting sub-networks than this: one slope, nothing cross-validated.
    public static let minimumForKinds = 20

    public var folds: Int
    public var repeats: Int
    public var candidates: [Candidate]
    /// Index in `candidates` of the one the table uses.
    public var chosen: Int

    /// The chosen per-kind penalty; nil when one slope won.
    public var chosenPenalty: Double? { candidates.isEmpty ? nil : candidates[chosen].penalty }

    /// Scores the candidates on the fitting sub-networks (`sums[i]` the plain sum, `kindSums[i]`
    /// the same split by kind, `measured[i]` the measurement) and picks one. Deterministic for a
    /// seed.
    public static func select(sums: [Double], kindSums: [[String: Double]], measured: [Double], seed: UInt64,
                              folds: Int = 5, repeats: Int = 4) -> CalibrationSelection {
        precondition(sums.count == measured.count && kindSums.count == measured.count)
        let n = measured.count
        guard n >= minimumForKinds, folds >= 2 else {
            return CalibrationSelection(folds: 0, repeats: 0, candidates: [], chosen: 0)
        }
        let models: [Double?] = [nil] + penalties
        var losses = [[Double]](repeating: [], count: models.count)
        var failed = [Bool](repeating: false, count: models.count)
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<repeats {
            let order = Array(0..<n).shuffled(using: &generator)
            for fold in 0..<folds {
                let test = Set(order.indices.filter { $0 % folds == fold }.map { order[$0] })
                let train = order.filter { !test.contains($0) }
                let testRows = order.filter { test.contains($0) }
                for (m, penalty) in models.enumerated() where !failed[m] {
                    guard let predicted = try? predictions(penalty: penalty, train: train, test: testRows,
                                                           sums: sums, kindSums: kindSums, measured: measured) else {
                        failed[m] = true
                        continue
                    }
                    let errors = PredictionErrors(predicted: predicted, measured: testRows.map { measured[$0] })
                    losses[m].append(errors.meanAbsolutePercent)
                }
            }
        }
        let candidates = models.enumerated().map { m, penalty in
            let values = failed[m] ? [] : losses[m]
            let mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            let standardError = mean.map { mean in
                (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(values.count - 1, 1))).squareRoot()
                    / Double(values.count).squareRoot()
            }
            return Candidate(model: penalty == nil ? oneSlope : perKind, penalty: penalty, cvMape: mean, cvMapeStandardError: standardError)
        }
        let scored = candidates.indices.filter { candidates[$0].cvMape != nil }
        guard let best = scored.min(by: { candidates[$0].cvMape! < candidates[$1].cvMape! }) else {
            return CalibrationSelection(folds: folds, repeats: repeats, candidates: candidates, chosen: 0)
        }
        let threshold = candidates[best].cvMape! + candidates[best].cvMapeStandardError!
        let chosen = scored.first { candidates[$0].cvMape! <= threshold } ?? best
        return CalibrationSelection(folds: folds, repeats: repeats, candidates: candidates, chosen: chosen)
    }

    /// Predictions for `test` of the candidate fitted on `train`; throws when it cannot be fitted
    /// or a per-kind fit has a slope that is not positive.
    static func predictions(penalty: Double?, train: [Int], test: [Int], sums: [Double], kindSums: [[String: Double]],
                            measured: [Double]) throws -> [Double] {
        if let penalty {
            let fit = try KindCalibration.fit(kindSums: train.map { kindSums[$0] }, measured: train.map { measured[$0] }, penalty: penalty)
            guard fit.isPlausible else { throw HwnasError("a kind's slope is not positive") }
            return test.map { fit.apply(kindSums: kindSums[$0]) }
        }
        let fit = try LinearCalibration.fit(sums: train.map { sums[$0] }, measured: train.map { measured[$0] })
        return test.map { fit.apply(sums[$0]) }
    }
}
