/// What every block configuration of a search space tells: its cost-table key, shapes, and
/// analytic multiply-accumulates and parameters (per sample).
///
/// Conventions (they reproduce DyNAS-T's published OFA figures exactly):
/// - MACs are the multiply-accumulates of convolutions, linear layers and, in transformers, the
///   two attention products (Q·Kᵀ and A·V); element-wise work, normalisation, pooling and
///   softmax are not counted.
/// - Parameters are all weights and biases, with batch-norm and layer-norm scale and shift;
///   batch-norm running statistics are not parameters.
public protocol BlockConfiguration: Hashable, Sendable {
    /// The cost-table key, e.g. `mha-seq:128-hidden:768-heads:8`.
    var key: String { get }
    var input: TensorShape { get }
    var output: TensorShape { get }
    var macs: Int { get }
    var params: Int { get }
}
