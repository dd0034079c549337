/// A sub-network as JSON output holds it: gene values, single-slot genes as plain numbers
/// (`{"ks":[...], "e":[...], "d":[...], "r":224}`), as DESIGN.md's formats say.
public struct SubnetJSON: Encodable, Sendable {
    public var genes: [Gene]
    public var subnet: Subnet

    public init(space: any SearchSpace, subnet: Subnet) {
        genes = space.genes
        self.subnet = subnet
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: GeneKey.self)
        for gene in genes {
            let values = subnet[gene.name]
            if gene.length == 1, let value = values.first {
                try container.encode(value, forKey: GeneKey(gene.name))
            } else {
                try container.encode(values, forKey: GeneKey(gene.name))
            }
        }
    }

    struct GeneKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
