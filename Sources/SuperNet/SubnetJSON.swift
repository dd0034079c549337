/// A sub-network as JSON output holds it: gene values, single-slot genes as plain numbers
/// (`{"ks":[...], "e":[...], "d":[...], "r":224}`), as DESIGN.md's formats say.
///
/// Decoding reads any gene as a number or a list and knows no space: check the result with
/// `SearchSpace.validated(_:)` before use.
public struct SubnetJSON: Codable, Sendable {
    public var genes: [Gene]
    public var subnet: Subnet

    public init(space: any SearchSpace, subnet: Subnet) {
        genes = space.genes
        self.subnet = subnet
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: GeneKey.self)
        var values: [String: [Int]] = [:]
        for key in container.allKeys {
            if let value = try? container.decode(Int.self, forKey: key) {
                values[key.stringValue] = [value]
            } else {
                values[key.stringValue] = try container.decode([Int].self, forKey: key)
            }
        }
        genes = []
        subnet = Subnet(values: values)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: GeneKey.self)
        let genes = self.genes.isEmpty
            ? subnet.values.keys.sorted().map { Gene(name: $0, length: subnet[$0].count, choices: [], summary: "") }
            : self.genes
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
