import ArgumentParser
import Foundation
@testable import HwnasCLI
import HwnasTestSupport
import Testing

/// `hwnas export` and `search --export-front` on the command line: defaults, refusals and the
/// files a run leaves.
@Suite struct ExportCommandTests {
    static let ofa = #"{"ks":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],"e":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],"d":[2,2,2,2,2],"r":128}"#

    @Test func defaultsAreOnnxWithSeededWeights() throws {
        let parsed = try #require(try HwnasCommand.parseAsRoot(["export", "--space", "vit-b16", "--subnet", "{}", "--out", "x"]) as? ExportCommand)
        #expect(parsed.format == .onnx && parsed.checkpoint == nil && parsed.seed == 0 && !parsed.sample && !parsed.force)
    }

    @Test(arguments: [
        (["search", "--space", "bert-base", "--device", "d", "--export-format", "safetensors"], "go with --export-front"),
        (["search", "--space", "bert-base", "--device", "d", "--export-checkpoint", "c"], "go with --export-front"),
        (["search", "--problem", "zdt1", "--export-front", "x"], "exports the fronts of a search space"),
        (["export", "--space", "vit-b16", "--subnet", "{}", "--out", "x", "--format", "tflite"], "tflite"),
        (["evaluate", "--space", "minilm-l6", "--subnets", "s.jsonl", "--logits", "l.jsonl"], "--logits needs --checkpoint"),
    ])
    func refusesBadCombinations(arguments: [String], message: String) throws {
        do {
            _ = try HwnasCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(HwnasCommand.exitCode(for: error) == .validationFailure)
            #expect(HwnasCommand.fullMessage(for: error).contains(message), "\(HwnasCommand.fullMessage(for: error))")
        }
    }

    @Test func helpHasExamples() {
        let help = HwnasCommand.helpMessage(for: ExportCommand.self)
        for part in ["Examples", "input_ids", "attention_mask", "token_type_ids", "--checkpoint", "--sample", "--force", "SHA-256"] {
            #expect(help.contains(part), "\(part)")
        }
    }

    @Test func writesModelAndConfigAndRefusesToOverwrite() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try HwnasProcess.run(["export", "--space", "ofa-mbv3-w1.0", "--subnet", Self.ofa, "--out", "out"], in: folder)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("wrote out/model.onnx") && first.stdout.contains("out/config.json"), "\(first)")
        #expect(first.stderr.contains("note: random weights"), "\(first)")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out/config.json"))) as? [String: Any]
        #expect(config?["space"] as? String == "ofa-mbv3-w1.0" && config?["format"] as? String == "onnx" && config?["opset"] as? Int == 17)
        #expect((config?["inputs"] as? [[String: Any]])?.first?["shape"] as? [String] == ["batch", "3", "128", "128"])
        let again = try HwnasProcess.run(["export", "--space", "ofa-mbv3-w1.0", "--subnet", Self.ofa, "--out", "out"], in: folder)
        #expect(again.status == 1 && again.stderr.contains("already holds an exported sub-network") && again.stderr.contains("--force"), "\(again)")
        let forced = try HwnasProcess.run(["export", "--space", "ofa-mbv3-w1.0", "--subnet", Self.ofa, "--out", "out", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced)")
    }

    @Test func namesTheFieldOfASubnetworkOutsideTheSpaceAndTheMissingCheckpoint() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outside = Self.ofa.replacingOccurrences(of: #""r":128"#, with: #""r":130"#)
        let bad = try HwnasProcess.run(["export", "--space", "ofa-mbv3-w1.0", "--subnet", outside, "--out", "out"], in: folder)
        #expect(bad.status == 1 && bad.stderr.contains("--subnet: field 'r'") && bad.stderr.contains("130"), "\(bad)")
        let missing = try HwnasProcess.run(["export", "--space", "minilm-l6", "--subnet",
                                            #"{"num_layers":2,"num_attention_heads":[4,4,4,4,4,4],"intermediate_size":[384,384,384,384,384,384]}"#,
                                            "--checkpoint", "nowhere", "--out", "out"], in: folder)
        #expect(missing.status == 1 && missing.stderr.contains("nowhere"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/config.json").path))
    }
}
