import Support
import SuperNet
import Testing

@Suite struct GeneRoleTests {
    /// Every role a space declares names one of its genes; a resolution is one slot.
    @Test func everyRoleNamesAGeneOfItsSpace() {
        for space in SearchSpaces.all {
            for (role, name) in space.geneRoles {
                #expect(space.gene(named: name) != nil, "\(space.name): role \(role) names '\(name)', which is not one of its genes")
            }
            if let gene = space.resolutionGene {
                #expect(gene.length == 1, "\(space.name): the resolution gene '\(gene.name)' has \(gene.length) slots")
            }
        }
    }

    @Test func onlyOFAHasAResolutionGene() throws {
        #expect(try SearchSpaces.named("ofa-mbv3-w1.0").resolutionGene?.choices.first == 128)
        #expect(try SearchSpaces.named("bert-base").resolutionGene == nil)
        #expect(try SearchSpaces.named("vit-b16").resolutionGene == nil)
    }

    @Test func aSubnetIsReadAndSetThroughTheGene() throws {
        let space = try SearchSpaces.named("ofa-mbv3-w1.0")
        let gene = try #require(space.resolutionGene)
        var generator = SeededGenerator(seed: 3)
        var subnet = space.sample(using: &generator)
        subnet[gene] = [192]
        #expect(subnet.scalar(gene) == 192)
        #expect(try space.validated(subnet)[gene] == [192])
    }
}
