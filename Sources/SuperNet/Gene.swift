/// One elastic dimension of a super-network: a named list of slots, each taking one value of a
/// choice set (e.g. `ks`: 20 slots, each 3, 5 or 7).
public struct Gene: Codable, Equatable, Sendable {
    /// The key in DyNAS-T's sub-network dictionary (`ks`, `num_attention_heads`, ...).
    public var name: String
    /// How many slots the gene has (20 kernel sizes, 12 head counts, 1 resolution).
    public var length: Int
    /// The values one slot may take, ascending.
    public var choices: [Int]
    /// What the gene means, for `hwnas spaces`.
    public var summary: String

    public init(name: String, length: Int, choices: [Int], summary: String) {
        self.name = name
        self.length = length
        self.choices = choices
        self.summary = summary
    }
}
