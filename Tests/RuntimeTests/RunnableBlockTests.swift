import Kernels
import Support
import Testing
@testable import Runtime
import SuperNet

/// Every block configuration builds and runs on its own input shape, with finite output;
/// whole sub-networks chain and produce outputs of the right shape.
@Suite struct RunnableBlockTests {
    static func finite(_ tensor: Tensor) -> Bool {
        (0..<tensor.count).allSatisfy { tensor.pointer[$0].isFinite }
    }

    @Test(arguments: ["bert-base", "minilm-l6"])
    func everyBertBlockRuns(spaceName: String) throws {
        let space = try SearchSpaces.named(spaceName)
        for block in space.distinctBlocks(settings: SpaceSettings(sequence: 16)) {
            let runnable = try RunnableBlock(block, seed: 1)
            runnable.run()
            #expect(runnable.output.shape == RunnableBlock.shape(block.output, batch: 1), "\(block.key)")
            #expect(Self.finite(runnable.output), "\(block.key)")
        }
    }

    @Test func everyOFABlockRunsAtTheSmallestResolution() throws {
        let space = OFAMobileNetV3Space()
        for block in space.distinctBlocks(settings: SpaceSettings(resolutions: [128])) {
            let runnable = try RunnableBlock(block, options: ExecutionOptions(batch: 2), seed: 2)
            runnable.run()
            #expect(runnable.output.shape == RunnableBlock.shape(block.output, batch: 2), "\(block.key)")
            #expect(Self.finite(runnable.output), "\(block.key)")
        }
    }
}

/// Whole sub-networks built from the blocks, chained output to input.
@Suite struct RunnableSubnetTests {
    @Test(arguments: SearchSpaces.all.map(\.name))
    func randomSubnetsRunToFiniteOutputs(spaceName: String) throws {
        let space = try SearchSpaces.named(spaceName)
        var generator = SeededGenerator(seed: 5)
        let subnet = space.sample(using: &generator)
        let network = try RunnableSubnet(space: space, subnet: subnet, seed: 9)
        #expect(network.blocks.count == space.blocks(of: subnet).count)
        for (previous, next) in zip(network.blocks, network.blocks.dropFirst()) {
            #expect(previous.output === next.input)
        }
        network.run()
        let classes = try #require(["bert-base": 2, "minilm-l6": 2, "vit-b16": 1000, "ofa-mbv3-w1.0": 1000][spaceName],
                                   "the classes of \(spaceName)")
        #expect(network.output.shape == [1, classes])
        #expect(RunnableBlockTests.finite(network.output))
        // Not a constant output: the network computes something from its input.
        let values = (0..<network.output.count).map { network.output.pointer[$0] }
        #expect(Set(values).count > 1)
    }

    @Test func theSameSeedComputesTheSameNumbers() throws {
        let space = OFAMobileNetV3Space()
        var generator = SeededGenerator(seed: 3)
        var subnet = space.sample(using: &generator)
        subnet.values["r"] = [128]
        let a = try RunnableSubnet(space: space, subnet: subnet, options: ExecutionOptions(batch: 2), seed: 4)
        let b = try RunnableSubnet(space: space, subnet: subnet, options: ExecutionOptions(batch: 2), seed: 4)
        let c = try RunnableSubnet(space: space, subnet: subnet, options: ExecutionOptions(batch: 2), seed: 5)
        a.run(); b.run(); c.run()
        #expect(a.output.array == b.output.array)
        #expect(a.output.array != c.output.array)
        // Running twice on the same buffers gives the same result: nothing accumulates.
        let first = a.output.array
        a.run()
        #expect(a.output.array == first)
    }

    @Test func aWrongInputShapeIsRefused() throws {
        let block = BertBaseSpace().distinctBlocks(settings: SpaceSettings(sequence: 8))[1]
        let error = try #require(throws: HwnasError.self) {
            try RunnableBlock(block, seed: 1, input: Tensor(shape: [1, 9, 768]))
        }
        #expect(error.message.contains(block.key) && error.message.contains("not [1, 9, 768]"), "message: \(error.message)")
    }
}
