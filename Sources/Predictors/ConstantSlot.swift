/// A slot whose value never changed among the training sub-networks where it is active (e.g.
/// OFA's resolution, 224 in every row of DyNAS-T's CSVs). A predictor knows nothing about other
/// values of such a slot, so a search over the predictor must hold it fixed.
public struct ConstantSlot: Codable, Hashable, Sendable {
    public var gene: String
    public var slot: Int
    public var value: Int

    public init(gene: String, slot: Int, value: Int) {
        self.gene = gene
        self.slot = slot
        self.value = value
    }
}
