import Foundation
import Onnx
import Runtime
import Support
import SuperNet
import Testing

/// Every block kind of the four spaces, as an ONNX model, computes the native block: the same
/// seeded weights and input give outputs within 1e-3 in ONNX Runtime, and ONNX's checker
/// passes. Whole sub-networks too.
@Suite(.serialized, .enabled(if: OnnxCheckScript.available, Comment(rawValue: OnnxCheckScript.unavailable ?? "")))
struct BlockAgreementTests {
    static let tolerance = 1e-3

    /// The blocks checked per space: every distinct block (OFA's at 132 px, whose odd extents
    /// 33, 17 and 9 exercise the padding of strided convolutions).
    static func blocks(of space: any SearchSpace) -> [Block] {
        let settings = space is OFAMobileNetV3Space ? SpaceSettings(resolutions: [132]) : space.defaultSettings
        return space.distinctBlocks(settings: settings)
    }

    @Test(arguments: ["bert-base", "minilm-l6", "vit-b16", "ofa-mbv3-w1.0"])
    func everyDistinctBlockMatchesTheNativeBlock(spaceName: String) throws {
        let space = try SearchSpaces.named(spaceName)
        let folder = try Self.scratch("blocks-\(spaceName)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var folders: [URL] = []
        var kinds = Set<String>()
        for (index, block) in Self.blocks(of: space).enumerated() {
            let runnable = try RunnableBlock(block, options: ExecutionOptions(batch: 2), seed: 7 &+ UInt64(index))
            runnable.run()
            let target = folder.appendingPathComponent("\(index)-\(block.kind)")
            try runnable.onnxModel().write(to: target.appendingPathComponent("model.onnx"))
            try OnnxTestDataSet(inputs: runnable.onnxInputs(), outputs: [runnable.onnxOutput()]).write(into: target)
            folders.append(target)
            kinds.insert(block.kind)
        }
        let results = try OnnxCheckScript.check(folders)
        #expect(results.count == folders.count)
        var worst = 0.0
        for result in results {
            #expect(result.error == nil, "\(result.folder): \(result.error ?? "")")
            #expect(result.checker == "ok", "\(result.folder): \(result.checker ?? "not checked")")
            for output in result.outputs ?? [] {
                #expect(output.maxAbsDifference <= Self.tolerance,
                        "\(result.folder): ONNX Runtime's output is \(output.maxAbsDifference) from the native block's (max |y| \(output.maxAbsExpected))")
                // A block whose output is all zeros would agree with anything.
                #expect(output.maxAbsExpected > 0.01, "\(result.folder): the native output is near zero")
                worst = max(worst, output.maxAbsDifference)
            }
        }
        print("\(spaceName): \(folders.count) blocks (\(kinds.sorted().joined(separator: ", "))), largest difference \(worst)")
    }

    @Test(arguments: ["bert-base", "minilm-l6", "vit-b16", "ofa-mbv3-w1.0"])
    func wholeSubnetworksMatchTheNativeOnes(spaceName: String) throws {
        let space = try SearchSpaces.named(spaceName)
        var generator = SeededGenerator(seed: 3)
        let subnet = space.sample(using: &generator)
        let network = try RunnableSubnet(space: space, subnet: subnet, options: ExecutionOptions(batch: 2), seed: 11)
        network.run()
        let folder = try Self.scratch("subnet-\(spaceName)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try network.onnxModel(name: spaceName, batch: .symbolic("batch"), sequence: .symbolic("sequence"))
            .write(to: folder.appendingPathComponent("model.onnx"))
        try OnnxTestDataSet(inputs: network.onnxInputs(), outputs: [network.onnxOutput()]).write(into: folder)
        let result = try #require(try OnnxCheckScript.check([folder]).first)
        #expect(result.error == nil, "\(result.error ?? "")")
        #expect(result.checker == "ok", "\(result.checker ?? "not checked")")
        let logits = try #require(result.outputs?.first)
        #expect(logits.maxAbsDifference <= Self.tolerance, "logits \(logits.maxAbsDifference) apart (max |logit| \(logits.maxAbsExpected))")
        print("\(spaceName) \(space.jsonString(subnet)): logits within \(logits.maxAbsDifference) (max |logit| \(logits.maxAbsExpected))")
    }

    static func scratch(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-onnx-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
