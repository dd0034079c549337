import Foundation
import Support
import SuperNet
import Testing
@testable import Predictors

/// Fitting, saving, reading and reusing predictors; the data checks; the real CSVs at a cheap setting.
@Suite struct AccuracyPredictorTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/ofa-mbv3-accuracy")
    let space = OFAMobileNetV3Space()
    /// Small grids, so each fit takes milliseconds.
    let quick = PredictorSettings(folds: 3, seed: 1, ridgeAlphas: [1], kernelGammaScales: [0.5], kernelLambdas: [0.01, 0.1])

    func data(rows: Int = 40, repeats: Int = 6, in folder: URL) throws -> AccuracyData {
        let url = try SyntheticAccuracyCSV.write(SyntheticAccuracyCSV().rows(count: rows, repeats: repeats), named: "a.csv", in: folder)
        return try AccuracyData(space: space, files: [url])
    }

    @Test func fitsAndReportsEveryCandidate() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try data(in: folder)
        #expect(data.rows.count == 46)
        #expect(data.networks == 40)
        let predictor = try AccuracyPredictor.fit(data: data, settings: quick)
        let cv = predictor.crossValidation
        #expect(cv.candidates.map(\.kind) == [.ridge, .kernelRidge])
        #expect(cv.candidates.allSatisfy { $0.foldChoices.count == 3 && $0.outer.n == 46 })
        #expect(cv.metrics == cv.candidates.first { $0.kind == cv.chosen }!.outer)
        #expect(predictor.kind == cv.chosen)
        #expect(cv.networks == 40 && cv.rows == 46)
        #expect(cv.assignment.count == 1 && cv.assignment[0].lines == Array(2...47))
        #expect(cv.predictMicroseconds > 0)
        // The synthetic accuracy is nearly linear in the features: the fit follows it.
        #expect(cv.metrics.mae < 0.2)
        #expect(predictor.constantGenes == ["r": [224]])
        #expect(predictor.constantSlots.contains(ConstantSlot(gene: "r", slot: 0, value: 224)))
        #expect(abs(predictor.predict(data.rows[0].subnet) - data.rows[0].accuracy) < 0.3)
        var elsewhere = data.rows[0].subnet
        #expect(predictor.unseenValues(in: elsewhere).isEmpty)
        elsewhere.values["r"] = [192]
        #expect(predictor.unseenValues(in: elsewhere) == [ConstantSlot(gene: "r", slot: 0, value: 224)])
    }

    @Test func copiesOfANetworkShareAFold() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try data(in: folder)
        let predictor = try AccuracyPredictor.fit(data: data, settings: quick)
        let folds = predictor.crossValidation.assignment[0].folds
        for (a, b) in zip(0..<6, 40..<46) {
            #expect(data.rows[a].network == data.rows[b].network)
            #expect(folds[a] == folds[b])
        }
    }

    @Test func roundTripsThroughItsFile() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for kind in PredictorKind.allCases {
            var settings = quick
            settings.kinds = [kind]
            let predictor = try AccuracyPredictor.fit(data: try data(in: folder), settings: settings)
            let url = folder.appendingPathComponent("p-\(kind.rawValue).json")
            try predictor.write(to: url)
            let back = try AccuracyPredictor.read(from: url)
            #expect(back.kind == kind)
            #expect(back.crossValidation == predictor.crossValidation)
            #expect(back.dataHash == predictor.dataHash)
            #expect(back.constantSlots == predictor.constantSlots)
            var generator = SeededGenerator(seed: 5)
            for _ in 0..<20 {
                let s = space.sample(using: &generator)
                #expect(back.predict(s) == predictor.predict(s))
            }
        }
    }

    @Test func aFileOfAnotherSchemaOrSpaceIsRefusedNamingTheFile() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let predictor = try AccuracyPredictor.fit(data: try data(in: folder), settings: quick)
        let text = String(decoding: try JSONFormat.encode(predictor), as: UTF8.self)
        let other = folder.appendingPathComponent("other.json")
        try text.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 99").write(to: other, atomically: true, encoding: .utf8)
        #expect(throws: HwnasError("\(other.path) is a accuracy predictor of schema 99; this hwnas reads schema 1")) {
            try AccuracyPredictor.read(from: other)
        }
        let unknown = folder.appendingPathComponent("unknown.json")
        try text.replacingOccurrences(of: "\"space\" : \"ofa-mbv3-w1.0\"", with: "\"space\" : \"resnet\"").write(to: unknown, atomically: true, encoding: .utf8)
        let error = try #require(throws: HwnasError.self) { try AccuracyPredictor.read(from: unknown) }
        #expect(error.message.contains(unknown.path) && error.message.contains("unknown space 'resnet'"))
        let truncated = folder.appendingPathComponent("truncated.json")
        try String(text.prefix(200)).write(to: truncated, atomically: true, encoding: .utf8)
        let cut = try #require(throws: HwnasError.self) { try AccuracyPredictor.read(from: truncated) }
        #expect(cut.message.contains(truncated.path), "message: \(cut.message)")
    }

    @Test func fitOrReuseReusesTheSameDataOnly() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = try SyntheticAccuracyCSV.write(SyntheticAccuracyCSV().rows(count: 30), named: "a.csv", in: folder)
        let store = PredictorStore.defaultURL(space: space.name, folder: folder.appendingPathComponent("predictors"))
        var notes: [String] = []
        let first = try PredictorStore.fitOrReuse(space: space, accuracyFiles: [csv], at: store, settings: quick) { notes.append($0) }
        #expect(first.outcome == .fitted(reason: "no saved predictor at \(store.relativePath)"))
        #expect(FileManager.default.fileExists(atPath: store.path))
        let second = try PredictorStore.fitOrReuse(space: space, accuracyFiles: [csv], at: store, settings: quick) { notes.append($0) }
        #expect(second.outcome == .reused)
        #expect(notes.last!.hasPrefix("reusing the accuracy predictor"))
        // Other settings: fitted again.
        var other = quick
        other.seed = 2
        let refit = try PredictorStore.fitOrReuse(space: space, accuracyFiles: [csv], at: store, settings: other) { notes.append($0) }
        #expect(refit.outcome == .fitted(reason: "\(store.relativePath) was fitted with other settings (folds, seed or grids)"))
        // Other data: fitted again.
        let more = try SyntheticAccuracyCSV.write(SyntheticAccuracyCSV().rows(count: 31), named: "b.csv", in: folder)
        let third = try PredictorStore.fitOrReuse(space: space, accuracyFiles: [more], at: store, settings: quick) { notes.append($0) }
        guard case .fitted(let reason) = third.outcome else { Issue.record("expected a refit"); return }
        #expect(reason.contains("fitted on other data"))
    }

    @Test func theDataHashIgnoresRowAndFileOrder() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = SyntheticAccuracyCSV().rows(count: 20)
        let a = try SyntheticAccuracyCSV.write(Array(lines.prefix(12)), named: "a.csv", in: folder)
        let b = try SyntheticAccuracyCSV.write(Array(lines.dropFirst(12)), named: "b.csv", in: folder)
        let all = try SyntheticAccuracyCSV.write(lines.reversed(), named: "all.csv", in: folder)
        let hash = try AccuracyData(space: space, files: [a, b]).hash
        #expect(try AccuracyData(space: space, files: [b, a]).hash == hash)
        #expect(try AccuracyData(space: space, files: [all]).hash == hash)
        #expect(try AccuracyData(space: space, files: [a]).hash != hash)
    }

    @Test func badDataIsRefusedNamingTheFile() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows = SyntheticAccuracyCSV().rows(count: 4)
        let noMetric = try SyntheticAccuracyCSV.write(rows.map { String($0[..<$0.lastIndex(of: ",")!]) }, named: "no-metric.csv", in: folder,
                                                      header: "Sub-network,Date,Model Parameters,Latency (ms),MACs")
        #expect(throws: HwnasError("\(noMetric.relativePath) has no column 'Top-1 Acc (%)': a predictor learns from the measured Top-1 Acc (%) of a DyNAS-T results CSV of ofa-mbv3-w1.0")) {
            try AccuracyData(space: space, files: [noMetric])
        }
        let zeros = try SyntheticAccuracyCSV.write(rows.map { String($0[...$0.lastIndex(of: ",")!]) + "0" }, named: "zeros.csv", in: folder)
        #expect(throws: HwnasError("\(zeros.relativePath): column 'Top-1 Acc (%)' is 0 in every row: this file has no measured accuracy")) {
            try AccuracyData(space: space, files: [zeros])
        }
        let bad = try SyntheticAccuracyCSV.write(rows + [rows[0].replacingOccurrences(of: "'d': [", with: "'d': [9, ")], named: "bad.csv", in: folder)
        let error = try #require(throws: HwnasError.self) { try AccuracyData(space: space, files: [bad]) }
        #expect(error.message.hasPrefix("\(bad.path): line 6: field 'd'"))
        let few = try AccuracyData(space: space, files: [try SyntheticAccuracyCSV.write(rows, named: "few.csv", in: folder)])
        #expect(throws: HwnasError("4 distinct sub-networks cannot fill 5 folds; give more measured sub-networks or fewer --folds")) {
            try AccuracyPredictor.fit(data: few, settings: PredictorSettings(folds: 5))
        }
    }

    @Test func unmeasuredRowsAreLeftOut() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rows = SyntheticAccuracyCSV().rows(count: 10)
        rows[3] = String(rows[3][...rows[3].lastIndex(of: ",")!]) + "0"
        let data = try AccuracyData(space: space, files: [try SyntheticAccuracyCSV.write(rows, named: "a.csv", in: folder)])
        #expect(data.rows.count == 9)
        #expect(data.unmeasured == 1)
        #expect(!data.rows.contains { $0.line == 5 })
    }

    /// The shipped CSVs at a cheap setting (ridge only, 3 folds): a smoke test of the real data
    /// path; the full fit and its bar are measured by `scripts/predictor-reference`.
    @Test func theRealCSVsFitAtACheapSetting() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.realData, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" }.sorted { $0.path < $1.path }
        #expect(files.count == 4)
        let data = try AccuracyData(space: space, files: files)
        #expect(data.rows.count == 1819)
        #expect(data.networks == 1697)
        let predictor = try AccuracyPredictor.fit(data: data, settings: PredictorSettings(folds: 3, kinds: [.ridge], ridgeAlphas: [10]))
        #expect(predictor.crossValidation.metrics.mae < 0.2)
        #expect(predictor.crossValidation.metrics.kendallTau > 0.85)
        #expect(predictor.constantGenes == ["r": [224]])
    }
}
