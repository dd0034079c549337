import CBlas
import Foundation
import Support

/// Model and hyper-parameter selection by grouped k-fold cross-validation, as DyNAS-T chooses
/// its predictors (lowest cross-validated MAPE), with the hyper-parameter search nested inside
/// the training folds so that the reported error is that of data no choice has seen.
///
/// The inner folds are the outer ones: for outer fold f, each grid point is scored by fitting on
/// the folds other than f and g and predicting g, for every g != f. A fit that leaves out the pair
/// {f, g} serves outer folds f and g alike, so the whole nested search costs one fit per grid
/// point and pair of folds, plus one per grid point and fold for the outer predictions (which are
/// also each grid point's plain k-fold score, used for the final model).
struct CrossValidation {
    let data: AccuracyData
    let settings: PredictorSettings
    let folds: GroupedFolds
    let targets: [Double]
    let columns: [[Int32]]
    /// Pairwise squared distances of all rows (`n x n`), when a kernel model is a candidate.
    let distances: [UInt16]
    /// The training sets' left-out folds: each fold alone (index f), then each pair.
    let excluded: [[Int]]

    init(data: AccuracyData, settings: PredictorSettings) throws {
        guard settings.folds >= 3 else {
            throw HwnasError("--folds must be at least 3: each fold's hyper-parameters are chosen by cross-validation on the other folds")
        }
        guard !settings.kinds.isEmpty else { throw HwnasError("no model family to fit") }
        for kind in settings.kinds where settings.grid(for: kind).isEmpty {
            throw HwnasError("the \(kind.rawValue) grid is empty")
        }
        if settings.kinds.contains(.kernelRidge) {
            // Refused before the n x n distances are allocated.
            try KernelRidgeBudget(rows: data.rows.count, folds: settings.folds,
                                  gridPoints: settings.grid(for: .kernelRidge).count).check()
        }
        self.data = data
        self.settings = settings
        folds = try GroupedFolds(keys: data.rows.map(\.network), count: settings.folds, seed: settings.seed)
        targets = data.rows.map(\.accuracy)
        columns = data.rows.map(\.columns)
        if settings.kinds.contains(.kernelRidge) {
            distances = SharedColumnIndex(rows: columns, width: data.encoding.width).pairwiseSquaredDistances(rows: columns)
        } else {
            distances = []
        }
        let k = settings.folds
        excluded = (0..<k).map { [$0] } + (0..<k).flatMap { f in ((f + 1)..<k).map { [f, $0] } }
    }

    var rowCount: Int { targets.count }

    /// Index in `excluded` of the training set without folds f and g (f != g).
    func pair(_ f: Int, _ g: Int) -> Int {
        let (a, b) = (min(f, g), max(f, g))
        let k = settings.folds
        // Pairs are listed (0,1), (0,2), ..., (0,k-1), (1,2), ...
        return k + a * (2 * k - a - 1) / 2 + (b - a - 1)
    }

    /// Fits the cross-validation makes (each grid point once per fold and pair of folds left out).
    var fitCount: Int { settings.kinds.reduce(0) { $0 + settings.grid(for: $1).count * excluded.count } }

    /// Every candidate's nested CV report, and each one's out-of-fold predictions. `progress`
    /// hears each finished fit (fits done, `fitCount`, the fit's family), from any thread.
    func run(progress: (@Sendable (Int, Int, PredictorKind) -> Void)? = nil) throws -> [(report: CandidateReport, predictions: [Double])] {
        struct Job { var kind: PredictorKind; var grid: Int; var excluded: Int }
        let jobs = settings.kinds.flatMap { kind in
            settings.grid(for: kind).indices.flatMap { g in excluded.indices.map { Job(kind: kind, grid: g, excluded: $0) } }
        }
        let results = JobResults(count: jobs.count)
        let fitJob: @Sendable (Int) -> Void = { [self] index in
            let job = jobs[index]
            let left = Set(excluded[job.excluded])
            let train = folds.fold.indices.filter { !left.contains(folds.fold[$0]) }
            let test = folds.fold.indices.filter { left.contains(folds.fold[$0]) }
            do {
                let parameters = settings.grid(for: job.kind)[job.grid]
                var predicted = [Double](repeating: .nan, count: rowCount)
                for (row, value) in zip(test, try predict(job.kind, parameters, train: train, test: test)) {
                    predicted[row] = value
                }
                let done = results.set(index, predicted)
                progress?(done, jobs.count, job.kind)
            } catch {
                results.fail(error)
            }
        }
        // The fits run side by side on every core; OpenBLAS threading each factorisation as well
        // would oversubscribe them (its waiting threads spin: the fit on the shipped OFA data took
        // twice as long), so each call runs on one thread meanwhile, as `PinnedDevice` sets and
        // restores the count.
        let blasThreads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        DispatchQueue.concurrentPerform(iterations: jobs.count, execute: fitJob)
        openblas_set_num_threads(blasThreads)
        if let error = results.error { throw error }

        var reports: [(report: CandidateReport, predictions: [Double])] = []
        var offset = 0
        for kind in settings.kinds {
            let grid = settings.grid(for: kind)
            func predictions(_ g: Int, _ e: Int) -> [Double] { results.values[offset + g * excluded.count + e]! }
            // Each grid point's plain k-fold CV: every row predicted with its own fold left out.
            var plain: [[Double]] = []
            for g in grid.indices {
                var combined = [Double](repeating: .nan, count: rowCount)
                for f in 0..<settings.folds {
                    let p = predictions(g, f)
                    for row in folds.fold.indices where folds.fold[row] == f { combined[row] = p[row] }
                }
                plain.append(combined)
            }
            let scores = plain.map { PredictorMetrics.mape(predicted: $0, measured: targets) }
            // Nested: outer fold f takes the grid point that predicts the other folds best when
            // f is never seen.
            var outer = [Double](repeating: .nan, count: rowCount)
            var choices: [HyperParameters] = []
            for f in 0..<settings.folds {
                let inner = folds.fold.indices.filter { folds.fold[$0] != f }
                let innerScores = grid.indices.map { g in
                    PredictorMetrics.mape(predicted: inner.map { predictions(g, pair(f, folds.fold[$0]))[$0] },
                                          measured: inner.map { targets[$0] })
                }
                let best = innerScores.indices.min { innerScores[$0] < innerScores[$1] }!
                choices.append(grid[best])
                for row in folds.fold.indices where folds.fold[row] == f { outer[row] = plain[best][row] }
            }
            let selected = scores.indices.min { scores[$0] < scores[$1] }!
            reports.append((
                CandidateReport(kind: kind,
                                grid: zip(grid, scores).map { CandidateReport.GridScore(hyperParameters: $0, cvMape: $1) },
                                foldChoices: choices,
                                outer: PredictorMetrics(predicted: outer, measured: targets),
                                selected: grid[selected]),
                outer))
            offset += grid.count * excluded.count
        }
        return reports
    }

    /// Fits one model on `train` and predicts `test` (row indices).
    func predict(_ kind: PredictorKind, _ parameters: HyperParameters, train: [Int], test: [Int]) throws -> [Double] {
        switch try fit(kind, parameters, rows: train) {
        case .ridge(let model):
            return test.map { model.predict(hotColumns: columns[$0]) }
        case .kernelRidge(let model):
            // Distances to the training rows come from the precomputed matrix.
            let n = rowCount
            return distances.withUnsafeBufferPointer { d in
                model.kernelTable.withUnsafeBufferPointer { table in
                    test.map { s in
                        var sum = 0.0
                        for (t, row) in train.enumerated() { sum += model.dualWeights[t] * table[Int(d[s * n + row])] }
                        return model.offset + sum
                    }
                }
            }
        }
    }

    /// Fits one model on the given rows.
    func fit(_ kind: PredictorKind, _ parameters: HyperParameters, rows: [Int]) throws -> FittedModel {
        let x = rows.map { columns[$0] }
        let y = rows.map { targets[$0] }
        switch kind {
        case .ridge:
            return .ridge(try RidgeRegression(hotColumns: x, width: data.encoding.width, targets: y, alpha: parameters.alpha ?? 1))
        case .kernelRidge:
            let n = rowCount, m = rows.count
            var sub = [UInt16](repeating: 0, count: m * m)
            var total = 0.0
            for (a, i) in rows.enumerated() {
                for (b, j) in rows.enumerated() {
                    let d = distances[i * n + j]
                    sub[a * m + b] = d
                    if b < a { total += Double(d) }
                }
            }
            let pairs = Double(m * (m - 1) / 2)
            let meanDistance = pairs > 0 && total > 0 ? total / pairs : 1
            let gamma = (parameters.gammaScale ?? 1) / meanDistance
            return .kernelRidge(try KernelRidgeRegression(hotColumns: x, width: data.encoding.width, targets: y, gamma: gamma,
                                                          lambda: parameters.lambda ?? 0.01, squaredDistances: sub))
        }
    }
}
