import Datasets
import Foundation
import Onnx
import Runtime
import Search
import Support
import SuperNet
import Testing
import Workflows

/// `hwnas export` in-process: fine-tuned weights cut as training cuts them, seeded weights as
/// the native runtime draws them, config.json, safetensors names, and the refusals.
@Suite(.serialized)
struct ExportTests {
    static let minilm = MiniLML6Space()
    static let subnet = Subnet(values: ["num_layers": [3], "num_attention_heads": [4, 8, 6, 12, 12, 12],
                                        "intermediate_size": [768, 384, 1152, 1536, 1536, 1536]])

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-export-\(UUID().uuidString)")
    }

    /// The ONNX model of a checkpoint's slice gives, in ONNX Runtime, the logits the fine-tuning
    /// forward gives for the same sub-network (a padded sequence included): within 1e-4 of the
    /// largest logit.
    @Test(.enabled(if: OnnxCheckScript.available, Comment(rawValue: OnnxCheckScript.unavailable ?? "")))
    func checkpointExportComputesTheFineTunedSubnetwork() throws {
        let checkpoint = try MiniLMCheckpointFixture()
        defer { checkpoint.remove() }
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let record = try SubnetExport(space: Self.minilm, subnet: Self.subnet, checkpoint: checkpoint.folder, sample: true).write(to: out)
        #expect(record.weights.source == "checkpoint")
        // coreutils' digest of the file (Support's SHA-256 is tested on its own; unoptimised in a
        // debug build, it would take longer here than the rest of the test).
        let digest = try OnnxCheckScript.run(["/usr/bin/sha256sum", checkpoint.folder.appendingPathComponent("model.safetensors").path])
        #expect(record.weights.checkpointSha256 == digest.stdout.split(separator: " ").first.map(String.init))
        #expect(record.inputs?.map(\.name) == ["input_ids", "attention_mask", "token_type_ids"])
        #expect(record.inputs?.first?.shape == ["batch", "sequence"] && record.outputs?.first?.shape == ["batch", "2"])
        let sample = try OnnxTestDataSet.read(from: out)
        #expect(sample.inputs[1].elements != .int64(Array(repeating: 1, count: sample.inputs[1].shape.reduce(1, *))), "the sample pads a sequence")
        let result = try #require(try OnnxCheckScript.check([out]).first)
        #expect(result.error == nil && result.checker == "ok", "\(result)")
        let logits = try #require(result.outputs?.first)
        #expect(logits.maxAbsExpected > 0.1, "logits this small would hide differences")
        #expect(logits.maxAbsDifference <= 1e-4 * logits.maxAbsExpected, "\(logits.maxAbsDifference) of \(logits.maxAbsExpected)")
        print("checkpoint export: logits within \(logits.maxAbsDifference) (max |logit| \(logits.maxAbsExpected))")
    }

    /// safetensors holds each layer's slice under Hugging Face's names: the first h·d rows of
    /// Q, K, V, the first h·d columns of the output projection, the first units of the FFN.
    @Test func safetensorsExportHoldsTheCheckpointsSlicesUnderTheirNames() throws {
        let checkpoint = try MiniLMCheckpointFixture()
        defer { checkpoint.remove() }
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        try SubnetExport(space: Self.minilm, subnet: Self.subnet, format: .safetensors, checkpoint: checkpoint.folder).write(to: out)
        let file = try SafeTensors(contentsOf: out.appendingPathComponent("model.safetensors"))
        // Layer 1 runs 8 heads of 32 and 384 units.
        let query = try checkpoint.tensor("bert.encoder.layer.1.attention.self.query.weight")
        #expect(try file.floats("bert.encoder.layer.1.attention.self.query.weight", shape: [256, 384]) == Array(query.values[0..<256 * 384]))
        let output = try checkpoint.tensor("bert.encoder.layer.1.attention.output.dense.weight")
        let outputColumns = (0..<384).flatMap { row in output.values[row * 384..<row * 384 + 256] }
        #expect(try file.floats("bert.encoder.layer.1.attention.output.dense.weight", shape: [384, 256]) == outputColumns)
        let down = try checkpoint.tensor("bert.encoder.layer.1.output.dense.weight")
        #expect(try file.floats("bert.encoder.layer.1.output.dense.weight", shape: [384, 384])
                == (0..<384).flatMap { row in down.values[row * 1536..<row * 1536 + 384] })
        let upBias = try checkpoint.tensor("bert.encoder.layer.1.intermediate.dense.bias")
        #expect(try file.floats("bert.encoder.layer.1.intermediate.dense.bias", shape: [384]) == Array(upBias.values[0..<384]))
        #expect(try file.floats("classifier.weight", shape: [2, 384]) == (try checkpoint.tensor("classifier.weight")).values)
        #expect(file.tensors["bert.encoder.layer.3.attention.self.query.weight"] == nil, "layers beyond the sub-network's are left out")
    }

    @Test func seededOFAExportsConvolutionsInPyTorchsLayout() throws {
        let space = OFAMobileNetV3Space()
        var generator = SeededGenerator(seed: 4)
        var subnet = space.sample(using: &generator)
        subnet.values["r"] = [128]
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let record = try SubnetExport(space: space, subnet: subnet, format: .safetensors, seed: 3).write(to: out)
        #expect(record.weights.source == "seeded" && record.weights.seed == 3 && record.weights.note == SubnetExport.seededNote)
        #expect(record.blocks.count == space.blocks(of: subnet).count && record.blocks[0].kind == "stem")
        let file = try SafeTensors(contentsOf: out.appendingPathComponent("model.safetensors"))
        // The stem's [k, k, in, out] weight as [out, in, k, k].
        let native = try RunnableSubnet(space: space, subnet: subnet, seed: 3)
        let stem = try #require(native.blocks[0].parameters()["conv.weight"]).array
        let exported = try file.floats("first_conv.conv.weight", shape: [16, 3, 3, 3])
        for o in 0..<16 { for i in 0..<3 { for y in 0..<3 { for x in 0..<3 {
            #expect(exported[((o * 3 + i) * 3 + y) * 3 + x] == stem[((y * 3 + x) * 3 + i) * 16 + o])
        } } } }
        for name in ["blocks.0.mobile_inverted_conv.depth_conv.conv.weight", "blocks.1.mobile_inverted_conv.inverted_bottleneck.conv.weight",
                     "final_expand_layer.conv.weight", "feature_mix_layer.conv.weight", "classifier.linear.weight"] {
            #expect(file.tensors[name] != nil, "no \(name)")
        }
        #expect(try file.info("classifier.linear.weight").shape == [1000, 1280])
    }

    /// `search --export-front`: every member into <folder>/<device>/<NN>/, front.json listing
    /// them, a second export refused unless forced.
    @Test func frontExportWritesEveryMemberAndAnIndex() throws {
        let space = OFAMobileNetV3Space()
        var generator = SeededGenerator(seed: 6)
        let members = (0..<2).map { _ -> ParetoMember in
            var subnet = space.sample(using: &generator)
            subnet.values["r"] = [128]
            return ParetoMember(subnet: SubnetJSON(space: space, subnet: subnet), values: [.macs: Double(space.macs(of: subnet))],
                                macs: space.macs(of: subnet), params: space.params(of: subnet), latencyMs: 1.5, accuracy: nil)
        }
        let set = ParetoSet(
            space: space.name, device: "amd-zen4-t1", objectives: [MACsObjective(space: space), ParamsObjective(space: space)],
            metric: space.metricColumn, reference: [1, 1], referenceSource: "test", hypervolume: 0, hypervolumeMethod: "exact",
            hypervolumeStandardError: nil, hypervolumeHistory: [], front: members, provenance: ParetoSet.Provenance(table: nil, predictor: nil),
            settings: ParetoSet.Settings(algorithm: "nsga2", population: 4, generations: 1, seed: 1, evaluations: 4, constraints: [],
                                         fixedGenes: [:], restrictedGenes: [:]),
            elapsedSeconds: 0)
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let export = FrontExport(folder: out, format: .onnx, checkpoint: nil, force: false)
        let index = try export.write(set, space: space)
        #expect(index.path == out.appendingPathComponent("amd-zen4-t1/front.json").path)
        let listed = try JSONDecoder().decode(FrontExport.Index.self, from: Data(contentsOf: index))
        #expect(listed.members.map(\.folder) == ["00", "01"] && listed.members.map(\.latencyMs) == [1.5, 1.5])
        for (member, entry) in zip(members, listed.members) {
            let record = try ExportRecord.read(from: out.appendingPathComponent("amd-zen4-t1/\(entry.folder)/config.json"))
            #expect(record.subnet.subnet == member.subnet.subnet && record.file == "model.onnx")
        }
        #expect { try export.checkFree(device: "amd-zen4-t1") } throws: { "\($0)".contains("--force") }
        #expect(try FrontExport(folder: out, format: .onnx, checkpoint: nil, force: true).write(set, space: space) == index)
    }

    @Test func refusesExistingFilesOtherShapesAndSpacesWithoutCheckpoints() throws {
        let out = Self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let space = OFAMobileNetV3Space()
        var generator = SeededGenerator(seed: 1)
        var subnet = space.sample(using: &generator)
        subnet.values["r"] = [128]
        try SubnetExport(space: space, subnet: subnet).write(to: out)
        #expect { try SubnetExport(space: space, subnet: subnet).write(to: out) } throws: { error in
            "\(error)".contains("model.onnx already holds an exported sub-network") && "\(error)".contains("--force")
        }
        #expect(try SubnetExport(space: space, subnet: subnet, force: true).write(to: out).space == space.name)

        let small = try MiniLMCheckpointFixture(hidden: 64, layers: 2, heads: 2, intermediate: 128)
        defer { small.remove() }
        #expect { try SubnetExport(space: Self.minilm, subnet: Self.subnet, checkpoint: small.folder).write(to: Self.scratch()) } throws: { error in
            "\(error)".contains("holds a BERT of hidden 64") && "\(error)".contains("needs")
        }
        #expect { try SubnetExport(space: space, subnet: subnet, checkpoint: small.folder).write(to: Self.scratch()) } throws: { error in
            "\(error)".contains("exported with seeded weights only")
        }
        var outside = Self.subnet
        outside.values["num_attention_heads"] = [5, 8, 6, 12, 12, 12]
        #expect { try SubnetExport(space: Self.minilm, subnet: outside).write(to: Self.scratch()) } throws: { error in
            "\(error)".contains("5 is not one of")
        }
    }
}
