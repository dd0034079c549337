import SuperNet

/// The features of a sub-network as DyNAS-T's predictors see it: for every slot of every gene, in
/// genome order, one column per choice, 1 for the slot's value and 0 elsewhere.
///
/// A slot that does not shape the network (an OFA block beyond its stage's depth, a BERT layer
/// beyond `num_layers`) is all zeros, as DyNAS-T's OFA encoding zeroes `ks` and `e` beyond the
/// depth and its BERT/ViT encoding pads heads and widths past the last layer: two genomes of the
/// same network then have the same features.
public struct OneHotEncoding: Codable, Equatable, Sendable {
    /// The genes encoded, in genome order, with their choice sets.
    public var genes: [Gene]
    /// Columns in all: Σ over genes of length x choices.
    public var width: Int

    public init(space: any SearchSpace) {
        genes = space.genes
        width = genes.reduce(0) { $0 + $1.length * $1.choices.count }
    }

    /// What the columns are, for files and reports.
    public var summary: String {
        let parts = genes.map { "\($0.name)[\($0.length)] x \($0.choices.count)" }
        return "one-hot of each slot's value, genes in genome order (\(parts.joined(separator: ", ")): \(width) columns); inactive slots all zero"
    }

    /// The column of slot `slot` of gene number `geneIndex` taking choice `choice`.
    public func column(gene geneIndex: Int, slot: Int, choice: Int) -> Int {
        var offset = 0
        for gene in genes.prefix(geneIndex) { offset += gene.length * gene.choices.count }
        return offset + slot * genes[geneIndex].choices.count + choice
    }

    /// The columns that are 1, ascending: the sparse form every model works on. A value outside
    /// a gene's choice set has no column (the space's parser refuses such sub-networks anyway).
    public func hotColumns(of subnet: Subnet, in space: any SearchSpace) -> [Int32] {
        let active = space.activeSlots(of: subnet)
        var columns: [Int32] = []
        columns.reserveCapacity(active.count)
        var offset = 0, position = 0
        for gene in genes {
            let values = subnet[gene.name]
            for slot in 0..<gene.length {
                if position < active.count, active[position], slot < values.count,
                   let choice = gene.choices.firstIndex(of: values[slot]) {
                    columns.append(Int32(offset + slot * gene.choices.count + choice))
                }
                position += 1
            }
            offset += gene.length * gene.choices.count
        }
        return columns
    }

    /// The dense feature vector (`width` entries of 0 or 1).
    public func features(of subnet: Subnet, in space: any SearchSpace) -> [Double] {
        var x = [Double](repeating: 0, count: width)
        for column in hotColumns(of: subnet, in: space) { x[Int(column)] = 1 }
        return x
    }
}
