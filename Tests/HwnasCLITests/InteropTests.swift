import Foundation
import HwnasTestSupport
import Testing

/// Files exchanged with Once-for-All and DyNAS-T, shell completion, documented exit codes,
/// machine-readable reports and progress in logs, run as a user would.
@Suite(.serialized) struct InteropTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var profiles: String { root.appendingPathComponent("profiles").path }

    // MARK: item 18

    /// `key: {mean: x, std: y}` lines of a Once-for-All table, and its header comment.
    static func readOnceForAllYAML(_ url: URL) throws -> (header: String, means: [String: Double]) {
        let text = try String(contentsOf: url, encoding: .utf8)
        var header = "", means: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") {
                header += line + "\n"
                continue
            }
            let parts = line.components(separatedBy: ": {mean: ")
            guard parts.count == 2, let value = Double(parts[1].components(separatedBy: ",")[0]) else { continue }
            means[parts[0]] = value
        }
        return (header, means)
    }

    /// Once-for-All's sum for a sub-network (MBv3LatencyTable.predict_network_latency_given_config):
    /// keys built from the net config as Once-for-All builds them, the `mean` of each added.
    static func onceForAllSum(_ means: [String: Double], ks: [Int], e: [Int], d: [Int], r: Int) throws -> Double {
        func shape(_ values: [Int]) -> String { values.map(String.init).joined(separator: "x") }
        func mean(_ key: String) throws -> Double { try #require(means[key], "no key \(key)") }
        func makeDivisible(_ v: Double) -> Int {
            var n = max(8, Int(v + 4) / 8 * 8)
            if Double(n) < 0.9 * v { n += 8 }
            return n
        }
        let stages = [(24, 2, 0, 0), (40, 2, 1, 0), (80, 2, 0, 1), (112, 1, 1, 1), (160, 2, 1, 1)]  // width, stride, se, hs
        var size = (r + 1) / 2
        var total = try mean("Conv-input:\(shape([r, r, 3]))-output:\(shape([size, size, 16]))")
        total += try mean("expanded_conv-input:\(shape([size, size, 16]))-output:\(shape([size, size, 16]))-expand:16-kernel:3-stride:1-idskip:1-se:0-hs:0")
        var channels = 16
        for (s, stage) in stages.enumerated() {
            for j in 0..<d[s] {
                let stride = j == 0 ? stage.1 : 1
                let out = (size - 1) / stride + 1
                let mid = makeDivisible((Double(channels * e[4 * s + j])).rounded())
                let skip = stride == 1 && channels == stage.0 ? 1 : 0
                total += try mean("expanded_conv-input:\(shape([size, size, channels]))-output:\(shape([out, out, stage.0]))-expand:\(mid)"
                    + "-kernel:\(ks[4 * s + j])-stride:\(stride)-idskip:\(skip)-se:\(stage.2)-hs:\(stage.3)")
                size = out
                channels = stage.0
            }
        }
        total += try mean("Conv_1-input:\(shape([size, size, 160]))-output:\(shape([size, size, 960]))")
        total += try mean("AvgPool2D-input:\(shape([size, size, 960]))-output:1x1x960")
        total += try mean("Conv_2-input:1x1x960-output:1x1x1280")
        total += try mean("Logits-input:1x1x1280-output:1000")
        return total
    }

    @Test func item18_ofaExportWritesTheFilesOnceForAllOpensAndFoldsTheCalibrationExactly() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let device = folder.appendingPathComponent("p/dev")
        try FileManager.default.createDirectory(at: device, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("profiles/amd-zen3-t1-blas-sandybridge/ofa-mbv3-w1.0.lut.json"),
                                         to: device.appendingPathComponent("ofa-mbv3-w1.0.lut.json"))
        let table = "p/dev/ofa-mbv3-w1.0.lut.json"
        let run = try HwnasProcess.run(["tables", "--from-table", table, "--export", "ofa-yaml", "--export", "ofa-yaml-calibrated"], in: folder)
        #expect(run.status == 0, "\(run)")
        let names = try FileManager.default.contentsOfDirectory(atPath: device.path).sorted()
        #expect(names == ["ofa-mbv3-w1.0.lut.json", "ofa-mbv3-w1.0.ofa-yaml", "ofa-mbv3-w1.0.ofa-yaml-calibrated"], "\(names)")
        for variant in ["ofa-yaml", "ofa-yaml-calibrated"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: device.appendingPathComponent("ofa-mbv3-w1.0.\(variant)").path)
            #expect(files == ["224_lookup_table.yaml"], "\(variant): \(files)")
        }
        let raw = try Self.readOnceForAllYAML(device.appendingPathComponent("ofa-mbv3-w1.0.ofa-yaml/224_lookup_table.yaml"))
        let calibrated = try Self.readOnceForAllYAML(device.appendingPathComponent("ofa-mbv3-w1.0.ofa-yaml-calibrated/224_lookup_table.yaml"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: device.appendingPathComponent("ofa-mbv3-w1.0.lut.json"))) as? [String: Any])
        let calibration = try #require(json["calibration"] as? [String: Double])
        let a = try #require(calibration["a"]), b = try #require(calibration["b"])
        for header in [raw.header, calibrated.header] {
            #expect(header.contains(String(format: "a = %.9g, b = %.9g ms", a, b)), "\(header)")
            #expect(header.contains("raw-sum error on"), "\(header)")
        }
        #expect(raw.means.count == calibrated.means.count && raw.means.count > 50)

        // Random sub-networks: Once-for-All's plain sums against hwnas's predictions.
        var generator = SystemRandomNumberGenerator()
        var lines: [String] = []
        var genomes: [(ks: [Int], e: [Int], d: [Int])] = []
        for _ in 0..<20 {
            let ks = (0..<20).map { _ in [3, 5, 7].randomElement(using: &generator)! }
            let e = (0..<20).map { _ in [3, 4, 6].randomElement(using: &generator)! }
            let d = (0..<5).map { _ in [2, 3, 4].randomElement(using: &generator)! }
            genomes.append((ks, e, d))
            lines.append("{\"ks\":\(ks),\"e\":\(e),\"d\":\(d),\"r\":224}")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let evaluated = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "s.jsonl", "--lut", table, "--json"], in: folder)
        #expect(evaluated.status == 0, "\(evaluated)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == genomes.count)
        for (genome, row) in zip(genomes, rows) {
            let predicted = try #require(row["predictedLatencyMs"] as? Double)
            let plainCalibrated = try Self.onceForAllSum(calibrated.means, ks: genome.ks, e: genome.e, d: genome.d, r: 224)
            let plainRaw = try Self.onceForAllSum(raw.means, ks: genome.ks, e: genome.e, d: genome.d, r: 224)
            #expect(abs(plainCalibrated - predicted) < 1e-7, "calibrated sum \(plainCalibrated) vs prediction \(predicted)")
            #expect(abs(plainRaw - (predicted - b) / a) < 1e-7, "raw sum \(plainRaw) vs \((predicted - b) / a)")
        }

        // --from-table needs an export; a calibrated export needs a calibration.
        let nothing = try HwnasProcess.run(["tables", "--from-table", table], in: folder)
        #expect(nothing.status == 64 && nothing.stderr.contains("--export"), "\(nothing)")
        let unvalidated = try HwnasProcess.run(["tables", "--profile", "x.profile.json", "--validate", "0", "--export", "ofa-yaml-calibrated"], in: folder)
        #expect(unvalidated.status == 64 && unvalidated.stderr.contains("ofa-yaml-calibrated"), "\(unvalidated)")
    }

    // MARK: item 19

    @Test func item19_vitReadsDynastsGeneNameAndTheOldOneAndWritesDynasts() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let heads = Array(repeating: "12", count: 12).joined(separator: ", ")
        let widths = Array(repeating: "2048", count: 12).joined(separator: ", ")
        // DyNAS-T's vit_base_imagenet CSV, and JSON lines with hwnas's earlier name.
        try "Sub-network,Date,Model Parameters,Latency (ms),MACs,Top-1 Acc (%)\n\"{'num_layers': [12], 'num_attention_heads': [\(heads)], 'vit_intermediate_sizes': [\(widths)]}\",2023-01-01,1,1,1,80.5\n"
            .write(to: folder.appendingPathComponent("dynast.csv"), atomically: true, encoding: .utf8)
        try "{\"num_layers\":12,\"num_attention_heads\":[\(heads)],\"intermediate_size\":[\(widths)]}\n"
            .write(to: folder.appendingPathComponent("old.jsonl"), atomically: true, encoding: .utf8)
        try "{\"num_layers\":12,\"num_attention_heads\":[\(heads)],\"vit_intermediate_sizes\":[\(widths)]}\n"
            .write(to: folder.appendingPathComponent("new.jsonl"), atomically: true, encoding: .utf8)
        var macs: Set<Int> = []
        for file in ["dynast.csv", "old.jsonl", "new.jsonl"] {
            let run = try HwnasProcess.run(["evaluate", "--space", "vit-b16", "--subnets", file, "--json"], in: folder)
            #expect(run.status == 0, "\(file): \(run)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
            let subnet = try #require(rows.first?["subnet"] as? [String: Any])
            #expect(subnet["vit_intermediate_sizes"] as? [Int] == Array(repeating: 2048, count: 12), "\(file): \(subnet)")
            #expect(subnet["intermediate_size"] == nil)
            if let m = rows.first?["macs"] as? Int { macs.insert(m) }
            let text = try HwnasProcess.run(["evaluate", "--space", "vit-b16", "--subnets", file], in: folder)
            #expect(text.stdout.contains("'vit_intermediate_sizes': [2048"), "\(text)")
        }
        #expect(macs.count == 1)
        try "{\"num_layers\":12,\"num_attention_heads\":[\(heads)],\"intermediate_size\":[\(widths)],\"vit_intermediate_sizes\":[\(widths)]}\n"
            .write(to: folder.appendingPathComponent("both.jsonl"), atomically: true, encoding: .utf8)
        let both = try HwnasProcess.run(["evaluate", "--space", "vit-b16", "--subnets", "both.jsonl"], in: folder)
        #expect(both.status == 1 && both.stderr.contains("both.jsonl: line 1") && both.stderr.contains("'vit_intermediate_sizes'"), "\(both)")

        // A search writes DyNAS-T's name in its Pareto CSV.
        let search = try HwnasProcess.run(["search", "--space", "vit-b16", "--device", "amd-zen3-t1", "--objectives", "latency,macs:max",
                                           "--profiles-dir", Self.profiles, "--results-dir", "r", "--population", "10", "--generations", "2"], in: folder)
        #expect(search.status == 0, "\(search)")
        let csv = try String(contentsOf: folder.appendingPathComponent("r/vit-b16/amd-zen3-t1.pareto.csv"), encoding: .utf8)
        #expect(csv.contains("'vit_intermediate_sizes': [") && !csv.contains("'intermediate_size'"), "\(csv)")
    }

    // MARK: item 20

    @Test func item20_completionNamesSpacesDevicesAndFileTypes() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try HwnasProcess.run(["--generate-completion-script", "bash"], in: folder)
        #expect(script.status == 0)
        #expect(script.stdout.contains("-W 'bert-base'$'\\n''minilm-l6'$'\\n''vit-b16'$'\\n''ofa-mbv3-w1.0'"), "space names")
        #expect(script.stdout.contains("---completion search -- --device"), "devices of search")
        #expect(script.stdout.contains("---completion compare -- --device"), "devices of compare")
        #expect(script.stdout.contains("'!*.@(csv|jsonl|json)'"), "--subnets")
        #expect(script.stdout.contains("'!*.@(csv)'"), "--accuracy-data")
        #expect(script.stdout.contains("'!*.@(json)'"), "--profile, --lut")
        for device in ["dev-a", "dev-b", "no-table"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("pp/\(device)"), withIntermediateDirectories: true)
        }
        try Data().write(to: folder.appendingPathComponent("pp/dev-a/bert-base.lut.json"))
        try Data().write(to: folder.appendingPathComponent("pp/dev-b/bert-base.profile.json"))
        let devices = try HwnasProcess.run(["---completion", "search", "--", "--device", "6", "0",
                                            "hwnas", "search", "--profiles-dir", "pp", "--device", ""], in: folder)
        #expect(devices.stdout.split(separator: "\n") == ["dev-a", "dev-b"], "\(devices)")
    }

    @Test func item20_exitCodesAreDocumentedAndPredictorShowHasJSON() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let help = try HwnasProcess.run(["--help"], in: folder)
        for line in ["0    success", "1    failure", "64   usage error", "130  interrupted by Ctrl-C"] {
            #expect(help.stdout.contains(line), "\(line)")
        }
        let predictor = Self.root.appendingPathComponent("predictors/ofa-mbv3-w1.0.predictor.json").path
        let show = try HwnasProcess.run(["predictor", "show", predictor, "--json"], in: folder)
        #expect(show.status == 0, "\(show)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(summary["space"] as? String == "ofa-mbv3-w1.0")
        let candidates = try #require(summary["candidates"] as? [[String: Any]])
        #expect(candidates.filter { $0["chosen"] as? Bool == true }.first?["kind"] as? String == summary["chosen"] as? String)
        #expect((summary["metrics"] as? [String: Any])?["mape"] is Double)
    }

    @Test func item20_progressInALogEndsAtTheFinalState() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--space", "bert-base", "--device", "amd-zen3-t1", "--objectives", "latency,macs:max",
                                        "--profiles-dir", Self.profiles, "--results-dir", "r", "--population", "20", "--generations", "30"], in: folder)
        #expect(run.status == 0, "\(run)")
        let progress = run.stderr.split(separator: "\n").filter { $0.contains("generation") }
        #expect(progress.first?.contains("generation 1/30") == true, "\(run.stderr)")
        #expect(progress.last?.contains("generation 30/30") == true, "\(run.stderr)")
    }
}
