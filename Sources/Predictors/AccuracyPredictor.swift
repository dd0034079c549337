import Foundation
import Support
import SuperNet

/// A predictor of a space's accuracy metric from a sub-network's genes, fitted on measured
/// sub-networks (DyNAS-T results CSVs), with its cross-validated error.
///
/// The file holds everything `predict` needs (for a kernel model, the training rows' features
/// and dual weights), the data hash that lets a later run reuse the fit, the slots that were
/// constant in the data (a search must hold them fixed) and the CV report.
public struct AccuracyPredictor: Sendable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var space: String
    /// The column predicted, e.g. `Top-1 Acc (%)`.
    public var metric: String
    /// The chosen model family's hyper-parameters.
    public var hyperParameters: HyperParameters
    public var encoding: OneHotEncoding
    public var model: FittedModel
    /// `AccuracyData.hash` of the training data.
    public var dataHash: String
    public var trainingFiles: [String]
    public var trainingRows: Int
    /// Rows of the files left out because their metric was 0 (not measured).
    public var unmeasuredRows: Int
    public var constantSlots: [ConstantSlot]
    public var settings: PredictorSettings
    public var crossValidation: CrossValidationReport
    public var hwnasVersion: String
    public var createdAt: String
    /// The space, resolved from its name.
    public let searchSpace: any SearchSpace

    /// The chosen model family.
    public var kind: PredictorKind { model.kind }

    /// The predicted metric of a sub-network of this space.
    public func predict(_ subnet: Subnet) -> Double {
        model.predict(hotColumns: encoding.hotColumns(of: subnet, in: searchSpace))
    }

    /// Genes every slot of which was constant in the training data (e.g. `r`: [224] for the OFA
    /// CSVs), with those values: a search over this predictor must hold them fixed.
    public var constantGenes: [String: [Int]] {
        var result: [String: [Int]] = [:]
        for gene in searchSpace.genes {
            let slots = constantSlots.filter { $0.gene == gene.name }
            if slots.count == gene.length, Set(slots.map(\.slot)).count == gene.length {
                result[gene.name] = slots.sorted { $0.slot < $1.slot }.map(\.value)
            }
        }
        return result
    }

    /// The constant slots of the training data that `subnet` sets to another value (active
    /// slots only): its prediction is then an extrapolation the data cannot vouch for.
    public func unseenValues(in subnet: Subnet) -> [ConstantSlot] {
        guard !constantSlots.isEmpty else { return [] }
        let active = searchSpace.activeSlots(of: subnet)
        var offsets: [String: Int] = [:]
        var offset = 0
        for gene in searchSpace.genes {
            offsets[gene.name] = offset
            offset += gene.length
        }
        return constantSlots.filter { constant in
            let position = (offsets[constant.gene] ?? 0) + constant.slot
            let values = subnet[constant.gene]
            return position < active.count && active[position] && constant.slot < values.count && values[constant.slot] != constant.value
        }
    }

    /// Fits a predictor on the data: every candidate family cross-validated (nested, grouped by
    /// network), the one with the lowest CV MAPE refitted on all rows with the hyper-parameters
    /// the CV chose.
    /// `progress` hears the fits done and to do (the cross-validation's, then the final one) and
    /// what is being fitted, from any thread.
    public static func fit(data: AccuracyData, settings: PredictorSettings = PredictorSettings(),
                           progress: (@Sendable (_ done: Int, _ total: Int, _ what: String) -> Void)? = nil) throws -> AccuracyPredictor {
        let start = MonotonicClock.now()
        let validation = try CrossValidation(data: data, settings: settings)
        let total = validation.fitCount + 1
        var perFit: (@Sendable (Int, Int, PredictorKind) -> Void)?
        if let progress {
            perFit = { done, _, kind in progress(done, total, "cross-validating \(kind.rawValue)") }
        }
        let candidates = try validation.run(progress: perFit)
        let best = candidates.indices.min { candidates[$0].report.outer.mape < candidates[$1].report.outer.mape }!
        let chosen = candidates[best].report
        let outOfFold = candidates[best].predictions
        progress?(total - 1, total, "refitting \(chosen.kind.rawValue) on all \(data.rows.count) rows")
        let model = try validation.fit(chosen.kind, chosen.selected, rows: Array(data.rows.indices))
        progress?(total, total, "done")
        let seconds = MonotonicClock.seconds(since: start)
        var assignment: [FoldAssignment] = []
        for file in data.files where !assignment.contains(where: { $0.file == file }) {
            let rows = data.rows.indices.filter { data.rows[$0].file == file }
            assignment.append(FoldAssignment(file: file, lines: rows.map { data.rows[$0].line },
                                             folds: rows.map { validation.folds.fold[$0] },
                                             predicted: rows.map { outOfFold[$0] }))
        }
        let report = CrossValidationReport(
            folds: settings.folds, seed: settings.seed, rows: data.rows.count, networks: validation.folds.groups,
            grouping: "by network: rows whose genomes agree on every active slot (inactive slots, such as OFA blocks beyond a stage's depth, ignored) share a fold",
            candidates: candidates.map(\.report), chosen: chosen.kind, metrics: chosen.outer,
            fitSeconds: seconds, threads: ProcessInfo.processInfo.activeProcessorCount, predictMicroseconds: 0,
            assignment: assignment)
        var predictor = AccuracyPredictor(
            schemaVersion: schemaVersion, space: data.space.name, metric: data.space.metricColumn,
            hyperParameters: chosen.selected, encoding: data.encoding, model: model, dataHash: data.hash,
            trainingFiles: data.files, trainingRows: data.rows.count, unmeasuredRows: data.unmeasured,
            constantSlots: data.constantSlots, settings: settings, crossValidation: report,
            hwnasVersion: HwnasVersion.current, createdAt: Timestamp.now(), searchSpace: data.space)
        predictor.crossValidation.predictMicroseconds = predictor.measurePredictTime(seed: settings.seed)
        return predictor
    }

    /// Mean microseconds of one `predict` over `count` random sub-networks of the space.
    public func measurePredictTime(count: Int = 2000, seed: UInt64 = 1) -> Double {
        var generator = SeededGenerator(seed: seed)
        let subnets = (0..<count).map { _ in searchSpace.sample(using: &generator) }
        var sink = 0.0
        let start = MonotonicClock.now()
        for subnet in subnets { sink += predict(subnet) }
        let seconds = MonotonicClock.seconds(since: start)
        blackHole(sink)
        return seconds / Double(max(count, 1)) * 1e6
    }

    public static func read(from url: URL) throws -> AccuracyPredictor {
        try JSONFormat.decodeFile(AccuracyPredictor.self, from: url, kind: "accuracy predictor", schemaVersion: schemaVersion)
    }

    public func write(to url: URL) throws {
        try AtomicFile.write(JSONFormat.encode(self), to: url)
    }
}

extension AccuracyPredictor: Codable {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, space, metric, kind, hyperParameters, encoding, encodingSummary, ridge, kernelRidge
        case dataHash, trainingFiles, trainingRows, unmeasuredRows, constantSlots, settings, crossValidation
        case hwnasVersion, createdAt
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        space = try c.decode(String.self, forKey: .space)
        do {
            searchSpace = try SearchSpaces.named(space)
        } catch let error as HwnasError {
            throw DecodingError.dataCorruptedError(forKey: .space, in: c, debugDescription: error.message)
        }
        metric = try c.decode(String.self, forKey: .metric)
        let kind = try c.decode(PredictorKind.self, forKey: .kind)
        hyperParameters = try c.decode(HyperParameters.self, forKey: .hyperParameters)
        encoding = try c.decode(OneHotEncoding.self, forKey: .encoding)
        guard encoding == OneHotEncoding(space: searchSpace) else {
            throw DecodingError.dataCorruptedError(forKey: .encoding, in: c,
                                                   debugDescription: "the genes differ from those of \(space) in this hwnas; fit the predictor again")
        }
        switch kind {
        case .ridge:
            let ridge = try c.decode(RidgeRegression.self, forKey: .ridge)
            guard ridge.coefficients.count == encoding.width else {
                throw DecodingError.dataCorruptedError(forKey: .ridge, in: c,
                                                       debugDescription: "\(ridge.coefficients.count) coefficients for \(encoding.width) features")
            }
            model = .ridge(ridge)
        case .kernelRidge:
            let kernel = try c.decode(KernelRidgeRegression.self, forKey: .kernelRidge)
            guard kernel.width == encoding.width else {
                throw DecodingError.dataCorruptedError(forKey: .kernelRidge, in: c,
                                                       debugDescription: "features of width \(kernel.width), the encoding has \(encoding.width)")
            }
            model = .kernelRidge(kernel)
        }
        dataHash = try c.decode(String.self, forKey: .dataHash)
        trainingFiles = try c.decode([String].self, forKey: .trainingFiles)
        trainingRows = try c.decode(Int.self, forKey: .trainingRows)
        unmeasuredRows = try c.decode(Int.self, forKey: .unmeasuredRows)
        constantSlots = try c.decode([ConstantSlot].self, forKey: .constantSlots)
        settings = try c.decode(PredictorSettings.self, forKey: .settings)
        crossValidation = try c.decode(CrossValidationReport.self, forKey: .crossValidation)
        hwnasVersion = try c.decode(String.self, forKey: .hwnasVersion)
        createdAt = try c.decode(String.self, forKey: .createdAt)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(space, forKey: .space)
        try c.encode(metric, forKey: .metric)
        try c.encode(kind, forKey: .kind)
        try c.encode(hyperParameters, forKey: .hyperParameters)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(encoding.summary, forKey: .encodingSummary)
        switch model {
        case .ridge(let ridge): try c.encode(ridge, forKey: .ridge)
        case .kernelRidge(let kernel): try c.encode(kernel, forKey: .kernelRidge)
        }
        try c.encode(dataHash, forKey: .dataHash)
        try c.encode(trainingFiles, forKey: .trainingFiles)
        try c.encode(trainingRows, forKey: .trainingRows)
        try c.encode(unmeasuredRows, forKey: .unmeasuredRows)
        try c.encode(constantSlots, forKey: .constantSlots)
        try c.encode(settings, forKey: .settings)
        try c.encode(crossValidation, forKey: .crossValidation)
        try c.encode(hwnasVersion, forKey: .hwnasVersion)
        try c.encode(createdAt, forKey: .createdAt)
    }
}
