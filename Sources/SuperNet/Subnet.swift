/// A sub-network of a space: one value per slot of every gene, in the space's gene order.
///
/// Values, not choice indices, because that is what DyNAS-T's CSVs and hwnas's JSON carry;
/// `choiceIndices` gives the genome the search operates on.
public struct Subnet: Hashable, Sendable {
    /// Gene name to its slot values, each list exactly the gene's length.
    public var values: [String: [Int]]

    public init(values: [String: [Int]]) {
        self.values = values
    }

    public subscript(gene: String) -> [Int] {
        values[gene] ?? []
    }

    /// The first value of a gene (for single-slot genes such as `r` or `num_layers`).
    public func scalar(_ gene: String) -> Int {
        values[gene]?.first ?? 0
    }

    /// The slot values of a gene, read or replaced through the gene itself.
    public subscript(gene: Gene) -> [Int] {
        get { values[gene.name] ?? [] }
        set { values[gene.name] = newValue }
    }

    /// The first value of a gene (for single-slot genes such as the resolution).
    public func scalar(_ gene: Gene) -> Int {
        scalar(gene.name)
    }
}
