import Foundation
import Hardware
import HwnasTestSupport
import Profiler
import Support
import SuperNet
import Testing
@testable import CostModel

/// Tables built from synthetic profiles: exact sums, calibration, refusals, validation flags.
@Suite struct CostModelTests {
    static func profile(space: any SearchSpace, settings: SpaceSettings, latency: (Block) -> Double) -> Profile {
        SyntheticProfile.make(space: space, settings: settings, device: "amd-zen3-t1", latency: latency)
    }

    static let url = URL(fileURLWithPath: "/tmp/synthetic.profile.json")

    @Test func aOneBlockTablePredictsExactly() throws {
        // Every block costs 0 except the classifier: the prediction is exactly its entry.
        let space = BertBaseSpace()
        let profile = Self.profile(space: space, settings: space.defaultSettings) { $0.kind == "classifier" ? 0.125 : 0 }
        let table = try CostTable(profiles: [(Self.url, profile)])
        var generator = SeededGenerator(seed: 1)
        let prediction = try table.predict(space.sample(using: &generator), space: space)
        #expect(prediction.sumMs == 0.125)
        #expect(prediction.latencyMs == 0.125)
        #expect(!prediction.interpolated)
    }

    @Test func theSumFollowsTheActiveBlocks() throws {
        let space = BertBaseSpace()
        let profile = Self.profile(space: space, settings: space.defaultSettings) { block in
            switch block {
            case .attention(let b): Double(b.heads)
            case .feedForward(let b): Double(b.intermediate) / 1000
            default: 0.5
            }
        }
        let table = try CostTable(profiles: [(Self.url, profile)])
        let subnet = try space.subnet(parsing: "{'num_layers': [7], 'num_attention_heads': [6, 8, 10, 12, 6, 8, 10, 12, 12, 12, 12, 12], 'intermediate_size': [1024, 2048, 3072, 1024, 2048, 3072, 1024, 3072, 3072, 3072, 3072, 3072]}")
        let expected = 3 * 0.5 + Double(6 + 8 + 10 + 12 + 6 + 8 + 10) + (1.024 + 2.048 + 3.072 + 1.024 + 2.048 + 3.072 + 1.024)
        #expect(abs(try table.predict(subnet, space: space).sumMs - expected) < 1e-12)
    }

    @Test func calibrationRecoversKnownCoefficients() throws {
        let sums = (1...40).map { Double($0) * 0.7 }
        let measured = sums.map { 1.08 * $0 + 0.35 }
        let fit = try LinearCalibration.fit(sums: sums, measured: measured)
        #expect(abs(fit.a - 1.08) < 1e-12)
        #expect(abs(fit.b - 0.35) < 1e-12)
        let error = try #require(throws: HwnasError.self) { try LinearCalibration.fit(sums: [1, 1], measured: [2, 3]) }
        #expect(error.message.contains("different predicted latency"), "message: \(error.message)")
    }

    @Test func aTableRefusesASubnetOfAnotherSpace() throws {
        let bert = BertBaseSpace()
        let table = try CostTable(profiles: [(Self.url, Self.profile(space: bert, settings: bert.defaultSettings) { _ in 1 })])
        var generator = SeededGenerator(seed: 2)
        let ofa = OFAMobileNetV3Space()
        #expect { try table.predict(ofa.sample(using: &generator), space: ofa) } throws: { error in
            ((error as? HwnasError)?.message ?? "").contains("'bert-base'")
        }
    }

    @Test func aMissingKeyIsNamed() throws {
        let ofa = OFAMobileNetV3Space()
        let profile = Self.profile(space: ofa, settings: SpaceSettings(resolutions: [224])) { _ in 1 }
        var partial = profile
        partial.entries.removeAll { $0.key.hasPrefix("stem-") }
        let table = try CostTable(profiles: [(Self.url, partial)])
        var generator = SeededGenerator(seed: 3)
        var subnet = ofa.sample(using: &generator)
        subnet.values["r"] = [224]
        #expect { try table.predict(subnet, space: ofa) } throws: { error in
            ((error as? HwnasError)?.message ?? "").contains("no entry 'stem-in:224x224x3")
        }
    }

    @Test func anUnprofiledResolutionIsInterpolatedAndFlagged() throws {
        let ofa = OFAMobileNetV3Space()
        // Latency proportional to the input pixels of each block.
        let profile = Self.profile(space: ofa, settings: SpaceSettings(resolutions: [160, 224])) { block in
            Double(block.input.count) / 1e6
        }
        let table = try CostTable(profiles: [(Self.url, profile)])
        var generator = SeededGenerator(seed: 4)
        var subnet = ofa.sample(using: &generator)
        subnet.values["r"] = [192]
        let prediction = try table.predict(subnet, space: ofa)
        #expect(prediction.interpolated)
        var low = subnet, high = subnet
        low.values["r"] = [160]
        high.values["r"] = [224]
        let (a, b) = (try table.predict(low, space: ofa).sumMs, try table.predict(high, space: ofa).sumMs)
        #expect(prediction.sumMs > a && prediction.sumMs < b)
        subnet.values["r"] = [128]
        let error = try #require(throws: HwnasError.self) { try table.predict(subnet, space: ofa) }
        #expect(error.message.contains("resolution 128"), "message: \(error.message)")
    }

    @Test func anUnvalidatedTableSaysSo() throws {
        let bert = BertBaseSpace()
        var table = try CostTable(profiles: [(Self.url, Self.profile(space: bert, settings: bert.defaultSettings) { _ in 1 })])
        #expect(!table.isValidated)
        #expect(table.unvalidatedWarning?.contains("not validated") == true)
        table.validation = TableValidation(n: 2, fitN: 2,
                                           raw: AccuracyMetrics(predicted: [1, 2], measured: [1, 2]),
                                           calibrated: AccuracyMetrics(predicted: [1, 2], measured: [1, 2]),
                                           sampling: "", seed: 0, heldOut: [])
        #expect(table.unvalidatedWarning == nil)
    }

    @Test func profilesOfDifferentSpacesOrDevicesDoNotMerge() throws {
        let bert = BertBaseSpace(), vit = ViTB16Space()
        let a = Self.profile(space: bert, settings: bert.defaultSettings) { _ in 1 }
        let b = Self.profile(space: vit, settings: vit.defaultSettings) { _ in 1 }
        let spaces = try #require(throws: HwnasError.self) { try CostTable(profiles: [(Self.url, a), (Self.url, b)]) }
        #expect(spaces.message.contains("'vit-b16'") && spaces.message.contains("'bert-base'"), "message: \(spaces.message)")
        var c = a
        c.device = "amd-zen3-t2"
        let devices = try #require(throws: HwnasError.self) { try CostTable(profiles: [(Self.url, a), (Self.url, c)]) }
        #expect(devices.message.contains("'amd-zen3-t2'"), "message: \(devices.message)")
    }

    @Test func ofaYAMLUsesOnceForAllKeys() throws {
        let ofa = OFAMobileNetV3Space()
        let table = try CostTable(profiles: [(Self.url, Self.profile(space: ofa, settings: SpaceSettings(resolutions: [224])) { _ in 0.5 })])
        let documents = try table.onceForAllYAML(space: ofa, calibrated: false, source: "t.lut.json")
        #expect(documents.map(\.resolution) == [224])
        let text = documents[0].text
        #expect(text.contains("Conv-input:224x224x3-output:112x112x16: {mean: 0.500000000, std: "))
        // An unvalidated table has no calibration to fold in.
        let error = try #require(throws: HwnasError.self) { try table.onceForAllYAML(space: ofa, calibrated: true, source: "t.lut.json") }
        #expect(error.message.contains("t.lut.json was not validated"), "message: \(error.message)")
        #expect(text.contains("expanded_conv-input:112x112x16-output:112x112x16-expand:16-kernel:3-stride:1-idskip:1-se:0-hs:0:"))
        #expect(text.contains("expanded_conv-input:56x56x24-output:28x28x40-expand:144-kernel:5-stride:2-idskip:0-se:1-hs:0:"))
        #expect(text.contains("Conv_1-input:7x7x160-output:7x7x960:"))
        #expect(text.contains("AvgPool2D-input:7x7x960-output:1x1x960:"))
        #expect(text.contains("Conv_2-input:1x1x960-output:1x1x1280:"))
        #expect(text.contains("Logits-input:1x1x1280-output:1000:"))
    }
}

@Suite struct AccuracyMetricsTests {
    @Test func handExample() {
        let m = AccuracyMetrics(predicted: [100, 104, 90, 130], measured: [100, 100, 100, 100])
        #expect(abs(m.mape - (0 + 4 + 10 + 30) / 4) < 1e-12)
        #expect(m.maxApe == 30)
        #expect(m.within5 == 50)
        #expect(m.within10 == 75)
    }

    /// The latency and the predictor metrics share one core: the same zero-target rule.
    @Test func zeroMeasurementIsLeftOutAndReported() throws {
        let m = AccuracyMetrics(predicted: [110, 1, 95], measured: [100, 0, 100])
        #expect(m.mape == 7.5 && m.maxApe == 10 && m.within5 == 50 && m.within10 == 100)
        #expect(m.zeroTargetsExcluded == 1)
        let json = String(decoding: try JSONFormat.encode(m), as: UTF8.self)
        #expect(json.contains("\"zeroTargetsExcluded\" : 1"))
        let plain = String(decoding: try JSONFormat.encode(AccuracyMetrics(predicted: [1, 2], measured: [1, 2])), as: UTF8.self)
        #expect(!plain.contains("zeroTargetsExcluded"), "the key appears only when a row was left out")
    }
}
