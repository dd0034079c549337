import Support
import SuperNet

/// One block's weights by name, in the kernels' plain layouts: what the native runtime builds
/// a block from (`RunnableBlock.parameters()`) and what a checkpoint's slice is turned into.
///
/// Names and layouts: linear layers `<layer>.weight` [in, out] and `<layer>.bias` [out]; layer
/// norms `norm.weight` / `norm.bias` [features]; a k x k convolution `conv.weight`
/// [k, k, in, out] (a 1x1 one [in, out]); depthwise `depthwise.weight` [k, k, channels]; the
/// embedding tables `words`, `positions`, `types` [rows, hidden]; ViT's `classToken` [hidden]
/// and `positions` [tokens, hidden].
public struct BlockParameters: Sendable {
    /// The key of the block they belong to, for messages.
    public let block: String
    public var tensors: [String: PlainTensor]

    public init(block: Block, tensors: [String: PlainTensor]) {
        self.block = block.key
        self.tensors = tensors
    }

    /// The tensor `name`, which must have `shape`.
    public func tensor(_ name: String, _ shape: [Int]) throws(HwnasError) -> PlainTensor {
        guard let tensor = tensors[name] else {
            throw HwnasError("block \(block): no parameter '\(name)' (it has \(tensors.keys.sorted().joined(separator: ", ")))")
        }
        guard tensor.shape == shape else {
            throw HwnasError("block \(block): parameter '\(name)' has shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }
}
