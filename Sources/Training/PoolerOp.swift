import Kernels

/// BERT's pooler with its backward pass: tanh(dense(hidden state of each sequence's first
/// token, [CLS])).
///
/// The dense layer reads the first-token rows in place, at whatever stride they lie (a whole
/// sequence apart in a layer's full output, one row apart when the last layer computed those
/// rows alone), and its backward writes their gradient there: no gather, no scatter.
public final class PoolerOp {
    public let dense: LinearOp
    public let maxBatch: Int
    /// [maxBatch, hidden]: the pooled output of the last forward.
    public let result: Tensor
    private var batch = 0, stride = 0

    public init(dense: LinearOp, maxBatch: Int) {
        precondition(dense.weight.rows == dense.weight.columns, "\(dense.weight.name): pooler weight \(dense.weight.shape) must be square")
        self.dense = dense
        self.maxBatch = maxBatch
        result = Tensor(shape: [maxBatch, dense.weight.rows])
    }

    public var hidden: Int { dense.weight.rows }

    /// `result` = tanh(dense(hidden[b, 0, :])) for `batch` sequences of `length` tokens.
    public func forward(_ states: UnsafePointer<Float>, batch: Int, length: Int) {
        forward(firstTokens: states, stride: length * hidden, batch: batch)
    }

    /// `result` = tanh(dense(row b)) for the `batch` first-token rows at `firstTokens`, `stride`
    /// floats apart.
    public func forward(firstTokens: UnsafePointer<Float>, stride: Int, batch: Int) {
        precondition(batch <= maxBatch, "pooler: batch \(batch), sized for \(maxBatch)")
        self.batch = batch
        self.stride = stride
        dense.forward(firstTokens, stride: stride, rows: batch, into: result.pointer, stride: hidden)
        Elementwise.tanh(result.pointer, into: result.pointer, count: batch * hidden)
    }

    /// Writes the first token's gradient of each sequence into `states` at the forward's
    /// stride (other rows untouched: the caller zeroes them) from `gradient` [batch, hidden],
    /// which is consumed.
    public func backward(_ gradient: UnsafeMutablePointer<Float>, into states: UnsafeMutablePointer<Float>) {
        Elementwise.tanhBackward(gradient, output: result.pointer, into: gradient, count: batch * hidden)
        dense.backward(gradient, stride: hidden, into: states, stride: stride)
    }
}
