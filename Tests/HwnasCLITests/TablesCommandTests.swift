import Foundation
import HwnasTestSupport
import Testing

/// `hwnas tables` and `hwnas evaluate --lut/--measure`, run as a user would.
@Suite(.serialized) struct TablesCommandTests {
    /// A quick profile of bert-base at a short sequence, in `folder/profiles`.
    static func quickProfile(in folder: URL) throws -> String {
        let run = try HwnasProcess.run(["profile", "--space", "bert-base", "--seq", "16", "--budget", "quick", "--calibration", "quick",
                                        "--hardware-dir", "hw", "--profiles-dir", "profiles", "--events", "perf::TASK-CLOCK"],
                                       in: folder, timeout: 300)
        #expect(run.status == 0, "\(run)")
        let device = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("profiles").path).first)
        return "profiles/\(device)/bert-base.profile.json"
    }

    @Test func aValidatedTableReportsItsErrorAndPredicts() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.quickProfile(in: folder)
        let run = try HwnasProcess.run(["tables", "--profile", profile, "--validate", "6", "--budget", "quick", "--profiles-dir", "tables",
                                        "--export", "csv", "--json"], in: folder, timeout: 300)
        #expect(run.status == 0, "\(run)")
        let table = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(table["space"] as? String == "bert-base")
        #expect((table["entries"] as? [[String: Any]])?.count == 10)
        let calibration = try #require(table["calibration"] as? [String: Double])
        #expect(calibration["a"] != nil && calibration["b"] != nil)
        let validation = try #require(table["validation"] as? [String: Any])
        #expect(validation["n"] as? Int == 3 && validation["fitN"] as? Int == 3)
        for key in ["raw", "calibrated"] {
            let metrics = try #require(validation[key] as? [String: Double])
            for name in ["mape", "maxApe", "within5", "within10", "kendallTau", "spearmanRho"] {
                #expect(metrics[name] != nil, "\(key).\(name)")
            }
        }
        let device = try #require(table["device"] as? String)
        let lut = "tables/\(device)/bert-base.lut.json"
        let csv = try String(contentsOf: folder.appendingPathComponent("tables/\(device)/bert-base.lut.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("key,medianMs,p90Ms"))
        #expect(csv.split(separator: "\n").count == 11)

        // evaluate --lut predicts, --measure measures; both land in the JSON.
        let heads = Array(repeating: "12", count: 12).joined(separator: ",")
        let widths = Array(repeating: "1024", count: 12).joined(separator: ",")
        try "{\"num_layers\":6,\"num_attention_heads\":[\(heads)],\"intermediate_size\":[\(widths)]}\n"
            .write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let evaluated = try HwnasProcess.run(["evaluate", "--space", "bert-base", "--subnets", "s.jsonl", "--lut", lut, "--measure",
                                              "--budget", "quick", "--json"], in: folder, timeout: 300)
        #expect(evaluated.status == 0, "\(evaluated)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [[String: Any]])
        let predicted = try #require(rows.first?["predictedLatencyMs"] as? Double)
        let measured = try #require(rows.first?["measuredLatencyMs"] as? Double)
        #expect(predicted > 0 && measured > 0)
        #expect(!evaluated.stderr.contains("not validated"))
    }

    @Test func anUnvalidatedTableIsMarkedAndEveryUseSaysSo() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.quickProfile(in: folder)
        let run = try HwnasProcess.run(["tables", "--profile", profile, "--validate", "0", "--profiles-dir", "tables"], in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("not validated"))
        let device = profile.split(separator: "/")[1]
        let heads = Array(repeating: "6", count: 12).joined(separator: ",")
        let widths = Array(repeating: "1024", count: 12).joined(separator: ",")
        try "{\"num_layers\":6,\"num_attention_heads\":[\(heads)],\"intermediate_size\":[\(widths)]}\n"
            .write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let evaluated = try HwnasProcess.run(["evaluate", "--space", "bert-base", "--subnets", "s.jsonl",
                                              "--lut", "tables/\(device)/bert-base.lut.json"], in: folder)
        #expect(evaluated.status == 0, "\(evaluated)")
        #expect(evaluated.stderr.contains("not validated"), "\(evaluated)")
        // A table of one space refuses sub-networks of another.
        let ofa = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "s.jsonl",
                                        "--lut", "tables/\(device)/bert-base.lut.json"], in: folder)
        #expect(ofa.status != 0)
    }

    @Test(arguments: [
        (["tables", "--profile", "missing.json"], "missing.json"),
        (["tables", "--profile", "garbage.json", "--validate", "0"], "garbage.json"),
        (["evaluate", "--space", "bert-base", "--subnets", "garbage.json", "--lut", "garbage.json"], "garbage.json"),
    ])
    func badInputFails(arguments: [String], message: String) throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{\"schemaVersion\": 1, \"space\"".write(to: folder.appendingPathComponent("garbage.json"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(arguments, in: folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run)")
    }
}
