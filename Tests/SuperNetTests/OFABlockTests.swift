import Testing
@testable import SuperNet

/// The Once-for-All space's block decoding and its distinct block configurations.
@Suite struct OFABlockTests {
    let space = OFAMobileNetV3Space()

    @Test func makeDivisibleFollowsOnceForAll() {
        #expect(MBConvBlock.makeDivisible(30, 8) == 32)
        #expect(MBConvBlock.makeDivisible(4, 8) == 8)
        #expect(MBConvBlock.makeDivisible(36, 8) == 40)
        #expect(MBConvBlock.makeDivisible(120, 8) == 120)
        #expect(MBConvBlock.makeDivisible(9.1, 8) == 16)  // 8 would be more than 10% below
    }

    @Test func shapesFlowThroughTheNetworkAt224() throws {
        let subnet = try space.subnet(parsing:
            "{'wid': None, 'ks': [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7], 'e': [6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6], 'd': [4, 4, 4, 4, 4], 'r': [224]}")
        let blocks = space.blocks(of: subnet)
        #expect(blocks.count == 2 + 20 + 4)
        #expect(blocks.first?.key == "stem-in:224x224x3-out:112x112x16-kernel:3-stride:2-act:hswish")
        #expect(blocks[1].key == "first-block-in:112x112x16-out:112x112x16-mid:16-kernel:3-stride:1-se:0-act:relu-skip:1")
        #expect(blocks[2].key == "mbconv-in:112x112x16-out:56x56x24-mid:96-kernel:7-stride:2-se:0-act:relu-skip:0")
        for (previous, next) in zip(blocks, blocks.dropFirst()) where next.kind != "feature-mix" && next.kind != "classifier" {
            #expect(previous.output == next.input, "\(previous.key) -> \(next.key)")
        }
        #expect(blocks.last?.key == "classifier-in:1280-out:1000")
        #expect(blocks.contains { $0.key == "final-expand-in:7x7x160-out:7x7x960-kernel:1-stride:1-act:hswish" })
    }

    @Test func oddResolutionsRoundUp() throws {
        var values = try space.subnet(parsing: "{'wid': None, 'ks': [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'e': [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'd': [2, 2, 2, 2, 2], 'r': [132]}").values
        values["r"] = [132]
        let blocks = space.blocks(of: Subnet(values: values))
        // 132 -> 66 -> 33 -> 17 -> 9 -> 9 -> 5
        #expect(blocks.last { $0.kind == "mbconv" }?.output == .image(height: 5, width: 5, channels: 160))
    }

    @Test func distinctBlocksCoverEverySubnetsBlocks() throws {
        let all = Set(space.distinctBlocks(settings: SpaceSettings(resolutions: [160, 224])).map(\.key))
        var generator = SeededGeneratorForTests(seed: 3)
        for _ in 0..<200 {
            var subnet = space.sample(using: &generator)
            subnet.values["r"] = [[160, 224].randomElement(using: &generator)!]
            for block in space.blocks(of: subnet) {
                #expect(all.contains(block.key), "\(block.key) missing")
            }
        }
    }

    @Test func distinctBlocksAtOneResolution() {
        let blocks = space.distinctBlocks(settings: SpaceSettings(resolutions: [224]))
        #expect(Set(blocks.map(\.key)).count == blocks.count)
        // stem, first block, 5 stages x 2 positions x 9 (kernel, expand), final expand, pool,
        // feature mix, classifier
        #expect(blocks.count == 2 + 5 * 2 * 9 + 4)
        // Over all 25 resolutions, neighbouring resolutions share the shapes of later stages.
        let all = Set(space.distinctBlocks(settings: space.defaultSettings).map(\.key))
        #expect(all.isSuperset(of: blocks.map(\.key)))
        #expect(all.count > blocks.count * 10 && all.count < blocks.count * 25)
    }
}

typealias SeededGeneratorForTests = Support.SeededGenerator
import Support
