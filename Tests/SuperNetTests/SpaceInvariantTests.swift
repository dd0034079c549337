import Support
import Testing
@testable import SuperNet

/// What every space must keep, whatever its genes: run on each registered space, so a new
/// space is checked by being registered.
@Suite struct SpaceInvariantTests {
    static let names = SearchSpaces.all.map(\.name)

    /// Random members plus the largest and smallest (every slot its last or first choice).
    static func members(of space: any SearchSpace, count: Int, seed: UInt64) -> [Subnet] {
        var generator = SeededGenerator(seed: seed)
        var subnets = (0..<count).map { _ in space.sample(using: &generator) }
        let picks: [(Gene) -> Int] = [{ $0.choices.last! }, { $0.choices.first! }]
        for pick in picks {
            var values: [String: [Int]] = [:]
            for gene in space.genes { values[gene.name] = Array(repeating: pick(gene), count: gene.length) }
            subnets.append(Subnet(values: values))
        }
        return subnets
    }

    @Test(arguments: names)
    func genesAreWellFormed(_ name: String) throws {
        let space = try SearchSpaces.named(name)
        #expect(Set(space.genes.map(\.name)).count == space.genes.count)
        for gene in space.genes {
            #expect(gene.length >= 1, "\(name).\(gene.name)")
            #expect(!gene.choices.isEmpty && gene.choices == gene.choices.sorted() && Set(gene.choices).count == gene.choices.count,
                    "\(name).\(gene.name): choices \(gene.choices) must be ascending and distinct")
        }
        try space.validate(space.defaultSettings)
        #expect(try space.subnet(parsing: space.example) == Self.members(of: space, count: 0, seed: 0)[0])
    }

    /// One configuration per key: a table entry never stands for two different blocks.
    @Test(arguments: names)
    func distinctBlocksHaveOneConfigurationPerKey(_ name: String) throws {
        let space = try SearchSpaces.named(name)
        let blocks = space.distinctBlocks(settings: space.defaultSettings)
        #expect(!blocks.isEmpty)
        #expect(Set(blocks).count == blocks.count, "\(name): a block is listed twice")
        for (key, group) in Dictionary(grouping: blocks, by: \.key) where group.count > 1 {
            Issue.record("\(name): key \(key) stands for \(group.count) configurations: \(group)")
        }
        for block in blocks {
            #expect(block.macs >= 0 && block.params >= 0, "\(block.key)")
            #expect(block.key.hasPrefix(block.kind + "-"), "\(block.key)")
        }
    }

    /// Every block of a member is one of the distinct blocks (so a table has it), and the
    /// blocks chain: each one's output is the next one's input.
    @Test(arguments: names)
    func membersAreMadeOfDistinctBlocksThatChain(_ name: String) throws {
        let space = try SearchSpaces.named(name)
        let distinct = Set(space.distinctBlocks(settings: space.defaultSettings))
        for subnet in Self.members(of: space, count: 30, seed: 11) {
            let blocks = space.blocks(of: subnet)
            #expect(!blocks.isEmpty)
            for block in blocks where !distinct.contains(block) {
                Issue.record("\(name): \(block.key) of \(space.dynastString(subnet)) is not among the distinct blocks")
            }
            for (previous, next) in zip(blocks, blocks.dropFirst()) {
                #expect(previous.output.count == next.input.count, "\(name): \(previous.key) -> \(next.key)")
            }
            #expect(space.macs(of: subnet) == blocks.reduce(0) { $0 + $1.macs })
            #expect(space.params(of: subnet) == blocks.reduce(0) { $0 + $1.params })
        }
    }

    /// `activeSlots` says exactly which slots shape the network: changing an inactive slot
    /// changes no block, changing an active one changes some.
    @Test(arguments: names)
    func activeSlotsAreExactlyTheSlotsThatShapeTheNetwork(_ name: String) throws {
        let space = try SearchSpaces.named(name)
        let choiceCounts = space.genes.flatMap { Array(repeating: $0.choices.count, count: $0.length) }
        for subnet in Self.members(of: space, count: 6, seed: 23) {
            let genome = space.genome(of: subnet)
            let active = space.activeSlots(of: subnet)
            let blocks = space.blocks(of: subnet)
            #expect(active.count == space.genomeLength)
            for slot in genome.indices where choiceCounts[slot] > 1 {
                var changed = genome
                changed[slot] = (genome[slot] + 1) % choiceCounts[slot]
                let other = try space.subnet(genome: changed)
                let same = space.blocks(of: other) == blocks
                #expect(same != active[slot], "\(name): slot \(slot) is \(active[slot] ? "active" : "inactive") but changing it \(same ? "changes nothing" : "changes the blocks")")
                #expect((space.canonicalGenome(of: other) == space.canonicalGenome(of: subnet)) == same)
            }
        }
    }
}
