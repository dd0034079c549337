import Foundation
import HwnasTestSupport
import Testing

/// `hwnas predictor` and `hwnas evaluate` with a predictor, run as a user would.
@Suite struct PredictorCommandTests {
    static let header = "Sub-network,Date,Model Parameters,Latency (ms),MACs,Top-1 Acc (%)"

    /// A DyNAS-T CSV of `count` random OFA sub-networks at 224 px with a made-up accuracy.
    static func csv(count: Int, seed: UInt64 = 1, accuracy: ((Int) -> String)? = nil) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines = [header]
        for row in 0..<count {
            let ks = (0..<20).map { _ in [3, 5, 7][next(3)] }
            let e = (0..<20).map { _ in [3, 4, 6][next(3)] }
            let d = (0..<5).map { _ in [2, 3, 4][next(3)] }
            var score = 72.0
            for stage in 0..<5 {
                for j in 0..<d[stage] { score += 0.05 * Double(ks[4 * stage + j] - 3) + 0.08 * Double(e[4 * stage + j] - 3) }
            }
            let list = { (values: [Int]) in "[" + values.map(String.init).joined(separator: ", ") + "]" }
            let subnet = "{'wid': None, 'ks': \(list(ks)), 'e': \(list(e)), 'd': \(list(d)), 'r': [224]}"
            lines.append("\"\(subnet)\",2022-11-01 05:40:09,5000000,0,250000000,\(accuracy?(row) ?? String(format: "%.3f", score))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func fitWritesThePredictorAndPrintsTheReport() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.csv(count: 36).write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv", "--folds", "3"], in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("kernel-ridge-rbf"))
        #expect(run.stdout.contains("ridge "))
        #expect(run.stdout.contains("chosen: "))
        #expect(run.stdout.contains("r = 224"))
        #expect(run.stdout.contains("wrote predictors/ofa-mbv3-w1.0.predictor.json"))
        let url = folder.appendingPathComponent("predictors/ofa-mbv3-w1.0.predictor.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["metric"] as? String == "Top-1 Acc (%)")
        let cv = try #require(object["crossValidation"] as? [String: Any])
        #expect(cv["rows"] as? Int == 36)
        let show = try HwnasProcess.run(["predictor", "show", "predictors/ofa-mbv3-w1.0.predictor.json"], in: folder)
        #expect(show.status == 0, "\(show)")
        #expect(show.stdout.contains("36 rows"))
    }

    @Test func fitJSONGoesToStdoutAndOutElsewhere() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.csv(count: 24).write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv",
                                        "--folds", "3", "--seed", "4", "--out", "p/x.json", "--json"], in: folder)
        #expect(run.status == 0, "\(run)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((object["crossValidation"] as? [String: Any])?["seed"] as? Int == 4)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("p/x.json").path))
    }

    @Test(arguments: [
        ("bad.csv", "bad.csv: line 4: field 'e'[0]: 8 is not one of 3, 4, 6"),
        ("nometric.csv", "nometric.csv has no column 'Top-1 Acc (%)'"),
        ("zeros.csv", "zeros.csv: column 'Top-1 Acc (%)' is 0 in every row: this file has no measured accuracy"),
        ("few.csv", "5 distinct sub-networks cannot fill 10 folds"),
    ])
    func badDataFailsNamingTheCulprit(file: String, message: String) throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Line 4 (the third row): the first expand ratio becomes 8.
        var bad = Self.csv(count: 5).split(separator: "\n").map(String.init)
        let open = bad[3].range(of: "'e': [")!.upperBound
        bad[3].replaceSubrange(open...open, with: "8")
        try (bad.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let plain = Self.csv(count: 5).split(separator: "\n").map(String.init)
        let noMetric = ["Sub-network,Date,Model Parameters,Latency (ms),MACs"] + plain.dropFirst().map { String($0[..<$0.lastIndex(of: ",")!]) }
        try (noMetric.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("nometric.csv"), atomically: true, encoding: .utf8)
        try Self.csv(count: 5) { _ in "0" }.write(to: folder.appendingPathComponent("zeros.csv"), atomically: true, encoding: .utf8)
        try Self.csv(count: 5).write(to: folder.appendingPathComponent("few.csv"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", file, "--folds", "10"], in: folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("predictors/ofa-mbv3-w1.0.predictor.json").path))
    }

    @Test func evaluateAddsThePredictedAccuracy() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.csv(count: 30).write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let fit = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv", "--folds", "3", "--out", "p.json"], in: folder)
        #expect(fit.status == 0, "\(fit)")
        let run = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "a.csv", "--predictor", "p.json", "--json"], in: folder)
        #expect(run.status == 0, "\(run)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 30)
        let accuracies = rows.compactMap { $0["predictedAccuracy"] as? Double }
        #expect(accuracies.count == 30)
        #expect(accuracies.allSatisfy { (71...78).contains($0) })
        let text = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "a.csv", "--predictor", "p.json"], in: folder)
        #expect(text.stdout.contains("pred. accuracy"))
        let both = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "a.csv", "--predictor", "p.json", "--accuracy-data", "a.csv"], in: folder)
        #expect(both.status != 0)
        #expect(both.stderr.contains("either --predictor or --accuracy-data"))
        let wrong = try HwnasProcess.run(["evaluate", "--space", "bert-base", "--subnets", "a.csv", "--predictor", "p.json"], in: folder)
        #expect(wrong.status != 0)
    }

    @Test func evaluateFitsOnceThenReuses() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.csv(count: 30).write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let arguments = ["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "a.csv", "--accuracy-data", "a.csv", "--json"]
        let first = try HwnasProcess.run(arguments, in: folder)
        #expect(first.status == 0, "\(first)")
        #expect(first.stderr.contains("fitting an accuracy predictor: no saved predictor at predictors/ofa-mbv3-w1.0.predictor.json"))
        let second = try HwnasProcess.run(arguments, in: folder)
        #expect(second.status == 0, "\(second)")
        #expect(second.stderr.contains("reusing the accuracy predictor predictors/ofa-mbv3-w1.0.predictor.json"))
        #expect(first.stdout == second.stdout)
    }
}
