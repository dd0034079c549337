/// Where a BERT classifier applies dropout; each site of each step has its own mask key
/// (`DropoutMask.key(seed:step:site:)` with `index`).
public enum DropoutSite: Hashable, Sendable {
    case embeddings
    /// The attention probabilities of a layer.
    case attentionProbabilities(layer: Int)
    /// After a layer's attention output projection.
    case attentionOutput(layer: Int)
    /// After a layer's feed-forward block.
    case feedForwardOutput(layer: Int)
    /// On the pooled output, before the classifier.
    case classifier

    public var index: UInt64 {
        switch self {
        case .embeddings: 0
        case .attentionProbabilities(let layer): 1 + 3 * UInt64(layer)
        case .attentionOutput(let layer): 2 + 3 * UInt64(layer)
        case .feedForwardOutput(let layer): 3 + 3 * UInt64(layer)
        case .classifier: UInt64.max
        }
    }
}
