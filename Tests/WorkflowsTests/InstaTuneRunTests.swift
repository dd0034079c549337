import Datasets
import Foundation
import Support
import Testing
import Training
@testable import Workflows

@Suite("InstaTune runs", .serialized)
struct InstaTuneRunTests {
    static let uniform = InstaTuneSettings(sampling: .uniform)
    static let latency = InstaTuneSettings(sampling: .latency, device: MiniLMFixture.device, poolSize: 2_000, buckets: 50)

    /// Killed after its last save and resumed, an InstaTune run repeats the uninterrupted one
    /// bit for bit: losses, the sub-networks drawn, their loss terms, the weights.
    @Test("a resumed InstaTune run repeats the uninterrupted one bit for bit, with either sampling",
          arguments: [uniform, latency])
    func resumeIsBitForBit(_ instaTune: InstaTuneSettings) throws {
        let fixture = try MiniLMFixture()
        defer { fixture.remove() }
        let settings = fixture.settings(instaTune: instaTune)
        let whole = try fixture.run(settings, out: fixture.root.appendingPathComponent("whole")).run()
        let killed = try fixture.run(settings).run(stopAfter: 10)
        #expect(killed.step == 10)
        let resumed = try fixture.run(settings).run()
        #expect(resumed.losses.map(\.bitPattern) == whole.losses.map(\.bitPattern))
        #expect(resumed.instaTune == whole.instaTune)
        #expect(resumed.segments.map(\.steps) == [8, 4])
        let a = try Data(contentsOf: fixture.root.appendingPathComponent("whole/model.safetensors"))
        let b = try Data(contentsOf: fixture.out.appendingPathComponent("model.safetensors"))
        #expect(a == b)

        let steps = try #require(whole.instaTune?.steps)
        #expect(steps.map(\.step) == Array(0..<12))
        #expect(Set(steps.map(\.subnet)).count > 6, "the sub-networks vary")
        for (step, loss) in zip(steps, whole.losses) {
            #expect(abs((step.superCrossEntropy + step.subCrossEntropy) / 2 + step.distillation - loss) < 1e-5)
            #expect(step.subnet.layers >= 2 && step.subnet.heads.allSatisfy { [4, 6, 8, 12].contains($0) })
        }
        #expect(steps.contains { $0.distillation > 0 })
        #expect(Set(whole.losses).count > 1)

        // run.json says it is an InstaTune run, how it sampled, and logs every step.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.out.appendingPathComponent("run.json"))) as? [String: Any])
        let report = try #require(object["instaTune"] as? [String: Any])
        #expect(report["instaTune"] as? Bool == true)
        #expect(report["sampling"] as? String == instaTune.sampling.rawValue)
        #expect(report["temperature"] as? Double == 5)
        let logged = try #require(report["steps"] as? [[String: Any]])
        #expect(logged.count == 12)
        for key in ["superCrossEntropy", "subCrossEntropy", "distillation", "subnet"] { #expect(logged[0][key] != nil, "\(key)") }
        let sampler = try #require(report["sampler"] as? [String: Any])
        #expect(sampler["fingerprint"] as? String == whole.instaTune?.sampler.fingerprint)
        if instaTune.sampling == .latency {
            #expect(report["device"] as? String == MiniLMFixture.device)
            #expect(steps.allSatisfy { $0.predictedLatencyMs != nil })
            let range = try #require(sampler["rangeMs"] as? [Double])
            #expect(range.count == 2 && range[0] < range[1])
            #expect(sampler["tableSha256"] as? String != nil)
            #expect(report["latencyUniformity"] != nil)
        } else {
            #expect(report["device"] == nil && steps.allSatisfy { $0.predictedLatencyMs == nil })
        }
        // A plain run logs no InstaTune part.
        let plain = try fixture.run(fixture.settings(steps: 2), out: fixture.root.appendingPathComponent("plain")).run()
        #expect(plain.instaTune == nil)
    }

    /// A latency band no sub-network meets is refused, naming the device's range; a model of
    /// another shape is refused by its folder; nothing is written either way.
    @Test("a band no sub-network meets and a model of another shape are refused before anything is written")
    func refusals() throws {
        let fixture = try MiniLMFixture()
        defer { fixture.remove() }
        let band = InstaTuneSettings(sampling: .latency, device: MiniLMFixture.device, bandMs: [1e6, 2e6], poolSize: 500, buckets: 10)
        let error = #expect(throws: HwnasError.self) { try fixture.run(fixture.settings(instaTune: band)).run() }
        #expect(error?.message.contains("its table predicts") == true && error?.message.contains(" ms") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: fixture.out.path))

        let tiny = try FineTuneFixture()
        defer { tiny.remove() }
        let shape = #expect(throws: HwnasError.self) {
            try FineTuneRun(settings: fixture.settings(instaTune: Self.uniform), model: ModelFolder(url: tiny.model), data: fixture.data,
                            output: fixture.out, threads: 1, machine: "test", peakGflops: nil).run()
        }
        #expect(shape?.message.contains("is not a minilm-l6 model") == true && shape?.message.contains("hidden 16") == true, "\(shape?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: fixture.out.path))

        let unknown = InstaTuneSettings(sampling: .latency, device: "no-such-device")
        let missing = #expect(throws: HwnasError.self) { try fixture.run(fixture.settings(instaTune: unknown)).run() }
        #expect(missing?.message.contains("no-such-device") == true)
    }

    /// A run resumed after its device's table changed would draw other sub-networks: refused.
    @Test("resuming after the steering table changed is refused, naming the table")
    func changedTable() throws {
        let fixture = try MiniLMFixture()
        defer { fixture.remove() }
        let settings = fixture.settings(steps: 8, instaTune: Self.latency)
        _ = try fixture.run(settings).run(stopAfter: 5)
        try MiniLMFixture.writeTable(device: MiniLMFixture.device, to: fixture.profiles, attentionScale: 3)
        let error = #expect(throws: HwnasError.self) { try fixture.run(settings).run() }
        #expect(error?.message.contains("changed since") == true, "\(error?.message ?? "")")
        // Another sampling is another setting.
        let other = #expect(throws: HwnasError.self) { try fixture.run(fixture.settings(steps: 8, instaTune: Self.uniform)).run() }
        #expect(other?.message.contains("instatune") == true, "\(other?.message ?? "")")
    }
}
