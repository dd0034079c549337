/// One elastic dimension of a super-network: a named list of slots, each taking one value of a
/// choice set (e.g. `ks`: 20 slots, each 3, 5 or 7).
public struct Gene: Codable, Equatable, Sendable {
    /// The key in DyNAS-T's sub-network dictionary (`ks`, `num_attention_heads`, ...): the name
    /// hwnas writes.
    public var name: String
    /// Other keys read as this gene, for files of other tools or older versions (vit-b16's MLP
    /// width was once written `intermediate_size`, DyNAS-T writes `vit_intermediate_sizes`).
    public var aliases: [String]
    /// How many slots the gene has (20 kernel sizes, 12 head counts, 1 resolution).
    public var length: Int
    /// The values one slot may take, ascending.
    public var choices: [Int]
    /// What the gene means, for `hwnas spaces`.
    public var summary: String

    public init(name: String, aliases: [String] = [], length: Int, choices: [Int], summary: String) {
        self.name = name
        self.aliases = aliases
        self.length = length
        self.choices = choices
        self.summary = summary
    }

    /// Whether a dictionary key names this gene.
    public func isNamed(_ key: String) -> Bool {
        key == name || aliases.contains(key)
    }

    enum CodingKeys: String, CodingKey {
        case name, aliases, length, choices, summary
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        length = try c.decode(Int.self, forKey: .length)
        choices = try c.decode([Int].self, forKey: .choices)
        summary = try c.decode(String.self, forKey: .summary)
    }
}
