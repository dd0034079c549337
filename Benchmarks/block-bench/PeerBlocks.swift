import SuperNet

/// The blocks measured against other runtimes (ONNX Runtime), by short name: the BERT blocks
/// at sequence 128 that carry most of bert-base's time, and Once-for-All MobileNetV3's largest
/// and smallest MBConv at 224 px by MACs (blocks with an expansion: the fixed first block is not
/// searched). Any other block of the two spaces can be named by its key.
enum PeerBlocks {
    /// Every distinct block of bert-base at sequence 128 and of ofa-mbv3-w1.0 at 224 px.
    static let all: [Block] = {
        let bert = BertBaseSpace()
        let ofa = OFAMobileNetV3Space()
        return bert.distinctBlocks(settings: bert.defaultSettings) + ofa.distinctBlocks(settings: SpaceSettings(resolutions: [224]))
    }()

    /// The compared blocks as (name, block).
    static var selected: [(name: String, block: Block)] {
        let mbconvs = all.compactMap { block -> MBConvBlock? in
            if case .mbconv(let b) = block, b.expands { return b }
            return nil
        }.sorted { ($0.macs, $0.key) < ($1.macs, $1.key) }
        var named: [(String, Block)] = []
        for (name, key) in [("ffn-3072", "ffn-seq:128-hidden:768-inter:3072"),
                            ("ffn-2048", "ffn-seq:128-hidden:768-inter:2048"),
                            ("mha-12", "mha-seq:128-hidden:768-heads:12")] {
            if let block = all.first(where: { $0.key == key }) { named.append((name, block)) }
        }
        if let largest = mbconvs.last { named.append(("mbconv-largest", .mbconv(largest))) }
        if let smallest = mbconvs.first { named.append(("mbconv-smallest", .mbconv(smallest))) }
        return named
    }

    /// The block named `name` (a short name above or a full key).
    static func block(named name: String) -> Block? {
        selected.first { $0.name == name }?.block ?? all.first { $0.key == name }
    }
}
