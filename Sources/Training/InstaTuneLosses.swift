/// The terms of one InstaTune step's loss, each a batch mean.
public struct InstaTuneLosses: Codable, Equatable, Sendable {
    /// (superCrossEntropy + subCrossEntropy) / 2 + distillation: what the step descends.
    public var total: Float
    /// Cross-entropy of the full network on the labels.
    public var superCrossEntropy: Float
    /// Cross-entropy of the sampled sub-network on the labels.
    public var subCrossEntropy: Float
    /// T²·KL(softmax(z_super/T) || softmax(z_sub/T)), the full network's logits detached.
    public var distillation: Float

    public init(superCrossEntropy: Float, subCrossEntropy: Float, distillation: Float) {
        self.superCrossEntropy = superCrossEntropy
        self.subCrossEntropy = subCrossEntropy
        self.distillation = distillation
        total = (superCrossEntropy + subCrossEntropy) / 2 + distillation
    }
}
