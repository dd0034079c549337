import Kernels

/// One post-layer-norm BERT encoder layer with its backward pass:
/// attention -> dropout -> residual + LayerNorm -> dense, GELU, dense -> dropout -> residual +
/// LayerNorm. Elastic: the attention's `heads` and the feed-forward's `intermediateSize` (the
/// first units: rows of the first dense layer, columns of the second) can be lowered.
///
/// The backward carries one gradient buffer through the layer in place (dY in, dX out) and
/// reuses forward buffers the backward no longer needs for its intermediate gradients, so a
/// layer holds its activations and nothing more. One backward follows each forward.
public final class EncoderLayerOp {
    public let attention: SelfAttentionOp
    public let attentionDropout: DropoutOp
    public let attentionNorm: LayerNormOp
    public let intermediate: LinearOp
    public let gelu = GELUOp()
    public let output: LinearOp
    public let outputDropout: DropoutOp
    public let outputNorm: LayerNormOp
    public let hidden: Int
    public let maxIntermediate: Int
    public let maxTokens: Int
    /// Intermediate units that run (the first ones), 1 ... maxIntermediate.
    public var intermediateSize: Int {
        didSet {
            precondition(intermediateSize > 0 && intermediateSize <= maxIntermediate,
                         "\(intermediate.weight.name): \(intermediateSize) of \(maxIntermediate) units")
            intermediate.outputs = intermediateSize
            output.inputs = intermediateSize
        }
    }

    /// The attention's output; in the backward, the gradient of a dropout's input.
    let attentionOutput: Tensor
    /// The first LayerNorm's output (the feed-forward's input and residual).
    let normed: Tensor
    /// The first dense layer's output, GELU's input.
    let preActivation: Tensor
    /// GELU's output; in the backward, its gradient and then the pre-activation's.
    let activation: Tensor
    /// The layer's output, [tokens, hidden].
    public let result: Tensor

    private var rows = 0

    /// The weights of `intermediate` are [intermediate, hidden], of `output` [hidden, intermediate].
    public init(
        attention: SelfAttentionOp, attentionNorm: LayerNormOp, intermediate: LinearOp, output: LinearOp,
        outputNorm: LayerNormOp, dropout: Float
    ) {
        hidden = attention.hidden
        maxIntermediate = intermediate.weight.rows
        precondition(intermediate.weight.columns == hidden && output.weight.shape == [hidden, maxIntermediate],
                     "\(intermediate.weight.name) \(intermediate.weight.shape) and \(output.weight.name) \(output.weight.shape) do not fit hidden \(hidden)")
        self.attention = attention
        self.attentionNorm = attentionNorm
        self.intermediate = intermediate
        self.output = output
        self.outputNorm = outputNorm
        attentionDropout = DropoutOp(probability: dropout)
        outputDropout = DropoutOp(probability: dropout)
        intermediateSize = maxIntermediate
        maxTokens = attention.maxBatch * attention.maxLength
        attentionOutput = Tensor(shape: [maxTokens, hidden])
        normed = Tensor(shape: [maxTokens, hidden])
        preActivation = Tensor(shape: [maxTokens, maxIntermediate])
        activation = Tensor(shape: [maxTokens, maxIntermediate])
        result = Tensor(shape: [maxTokens, hidden])
    }

    /// `result` = layer(x) for x [batch·length, hidden], which must stay unchanged until the
    /// backward. Dropout keys: on the attention probabilities, after the attention, after the
    /// feed-forward (nil: no dropout there).
    public func forward(
        _ x: UnsafePointer<Float>, batch: Int, length: Int, mask: KeyMask,
        keys: (attention: UInt64, attentionOutput: UInt64, output: UInt64)?
    ) {
        rows = batch * length
        let count = rows * hidden
        let units = intermediateSize
        attention.forward(x, batch: batch, length: length, mask: mask, into: attentionOutput.pointer, key: keys?.attention)
        attentionDropout.forward(attentionOutput.pointer, into: normed.pointer, count: count, residual: x, key: keys?.attentionOutput)
        attentionNorm.forward(normed.pointer, into: normed.pointer, rows: rows)
        intermediate.forward(normed.pointer, stride: hidden, rows: rows, into: preActivation.pointer, stride: units)
        gelu.forward(preActivation.pointer, into: activation.pointer, count: rows * units)
        output.forward(activation.pointer, stride: units, rows: rows, into: result.pointer, stride: hidden)
        outputDropout.forward(result.pointer, into: result.pointer, count: count, residual: normed.pointer, key: keys?.output)
        outputNorm.forward(result.pointer, into: result.pointer, rows: rows)
    }

    /// Turns dY in `gradient` ([batch·length, hidden] of the last forward) into dX, adding
    /// every parameter's gradient to its buffer.
    public func backward(_ gradient: UnsafeMutablePointer<Float>) {
        let units = intermediateSize
        // dR2; it is also the residual's share of dA.
        outputNorm.backward(gradient, into: gradient)
        outputDropout.backward(gradient, into: attentionOutput.pointer)
        // dG overwrites G once the weight gradient has read it; then dU in place.
        output.backward(attentionOutput.pointer, stride: hidden, into: activation.pointer, stride: units)
        gelu.backward(activation.pointer, into: activation.pointer)
        intermediate.backward(activation.pointer, stride: units, into: gradient, stride: hidden, accumulate: true)
        // dR1; it is also the residual's share of dX.
        attentionNorm.backward(gradient, into: gradient)
        attentionDropout.backward(gradient, into: attentionOutput.pointer)
        attention.backward(attentionOutput.pointer, into: gradient)
    }
}
