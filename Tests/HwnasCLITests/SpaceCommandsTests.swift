import Foundation
import HwnasTestSupport
import Testing

/// `hwnas spaces` and `hwnas evaluate`, run as a user would.
@Suite struct SpaceCommandsTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/ofa-mbv3-accuracy")

    @Test func spacesListsTheSpacesWithTheirGenes() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["spaces", "--json"], in: folder)
        #expect(run.status == 0, "\(run)")
        let spaces = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(spaces.compactMap { $0["name"] as? String } == ["bert-base", "minilm-l6", "vit-b16", "ofa-mbv3-w1.0"])
        let minilm = try #require(spaces.first { $0["name"] as? String == "minilm-l6" })
        #expect(minilm["genomeLength"] as? Int == 13)
        #expect(minilm["distinctBlocks"] as? Int == 11)
        #expect((minilm["defaultSettings"] as? [String: Any])?["sequence"] as? Int == 64)
        let ofa = try #require(spaces.last)
        let genes = try #require(ofa["genes"] as? [[String: Any]])
        #expect(genes.compactMap { $0["name"] as? String } == ["ks", "e", "d", "r"])
        #expect(ofa["genomeLength"] as? Int == 46)
        let text = try HwnasProcess.run(["spaces"], in: folder)
        #expect(text.status == 0)
        #expect(text.stdout.contains("num_attention_heads"))
        #expect(text.stdout.contains("minilm-l6: ") && text.stdout.contains("{384,768,1152,1536} x6"))
    }

    /// The largest member is the real MiniLM-L6-H384 with a 2-way classifier (22.7M parameters);
    /// layers beyond num_layers are ignored.
    @Test func evaluateCountsMiniLM() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = [
            #"{"num_layers":6,"num_attention_heads":[12,12,12,12,12,12],"intermediate_size":[1536,1536,1536,1536,1536,1536]}"#,
            "{'num_layers': [2], 'num_attention_heads': [4, 4, 12, 12, 12, 12], 'intermediate_size': [384, 384, 1536, 1536, 1536, 1536]}",
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(["evaluate", "--space", "minilm-l6", "--subnets", "s.jsonl", "--json"], in: folder)
        #expect(run.status == 0, "\(run)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["params"] as? Int } == [22_713_986, 13_056_386])
        #expect(rows.map { $0["macs"] as? Int } == [698_499_840, 65_159_936])
        // A bert-base sub-network is not one of minilm-l6.
        let heads = Array(repeating: "12", count: 12).joined(separator: ",")
        let widths = Array(repeating: "3072", count: 12).joined(separator: ",")
        try "{\"num_layers\":6,\"num_attention_heads\":[\(heads)],\"intermediate_size\":[\(widths)]}\n"
            .write(to: folder.appendingPathComponent("bert.jsonl"), atomically: true, encoding: .utf8)
        let bad = try HwnasProcess.run(["evaluate", "--space", "minilm-l6", "--subnets", "bert.jsonl"], in: folder)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("line 1: field 'num_attention_heads': expected 6 values, found 12"), "\(bad)")
    }

    @Test func evaluateReproducesTheCSV() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = Self.data.appendingPathComponent("mbnv3w10_linasga_acc.csv")
        let run = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", csv.path, "--json"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 361)
        let first = try #require(rows.first)
        #expect(first["macs"] as? Int == 244_945_104)
        #expect(first["params"] as? Int == 4_536_768)
        let subnet = try #require(first["subnet"] as? [String: Any])
        #expect(subnet["r"] as? Int == 224)
        #expect((subnet["ks"] as? [Int])?.count == 20)
    }

    @Test func evaluateReadsJSONLinesAndPrintsATable() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let heads = Array(repeating: "12", count: 12).joined(separator: ",")
        let widths = Array(repeating: "3072", count: 12).joined(separator: ",")
        let line = "{\"num_layers\":12,\"num_attention_heads\":[\(heads)],\"intermediate_size\":[\(widths)]}"
        try (line + "\n").write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(["evaluate", "--space", "bert-base", "--subnets", "s.jsonl"], in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("109483778"))
        #expect(run.stdout.contains("'num_layers': [12]"))
    }

    @Test(arguments: [
        (["--space", "resnet"], "unknown space 'resnet'"),
        (["--space", "bert-base", "--subnets", "/no/such.csv"], "/no/such.csv"),
        (["--space", "ofa-mbv3-w1.0", "--subnets", "bad.jsonl"], "line 2: field 'd'[0]: 5 is not one of 2, 3, 4"),
        (["--space", "ofa-mbv3-w1.0", "--subnets", "bad.csv"], "bad.csv has no column 'Sub-network'"),
    ])
    func badInputFailsNamingTheCulprit(arguments: [String], message: String) throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = "{'wid': None, 'ks': [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'e': [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'd': [2, 2, 2, 2, 2], 'r': [224]}"
        try (good + "\n" + good.replacingOccurrences(of: "'d': [2", with: "'d': [5") + "\n")
            .write(to: folder.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
        try "Subnet,MACs\nx,1\n".write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        var full = ["evaluate"] + arguments
        if !arguments.contains("--subnets") { full += ["--subnets", "bad.jsonl"] }
        let run = try HwnasProcess.run(full, in: folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run)")
    }
}
