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
    /// The first dense layer's output, GELU's input; then (GELU's forward writes it) gelu' there.
    let preActivation: Tensor
    /// GELU's output; in the backward, its gradient and then the pre-activation's.
    let activation: Tensor
    /// The layer's output, [tokens, hidden].
    public let result: Tensor

    private var rows = 0, batch = 0, length = 0
    private var firstTokenOnly = false

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
    /// feed-forward (nil: no dropout there). `firstSequence` is where the batch starts in a
    /// larger one (it places the dropout masks). With `firstTokenOnly`, `result` holds each
    /// sequence's first token alone, [batch, hidden]: all a classifier reads from the last
    /// layer, and after the keys and values everything is done for those rows only.
    public func forward(
        _ x: UnsafePointer<Float>, batch: Int, length: Int, mask: KeyMask,
        keys: (attention: UInt64, attentionOutput: UInt64, output: UInt64)?, firstSequence: Int = 0,
        firstTokenOnly: Bool = false
    ) {
        rows = batch * length
        self.batch = batch
        self.length = length
        self.firstTokenOnly = firstTokenOnly
        let queries = firstTokenOnly ? batch : rows
        // Rows of the outputs sit a token apart, or a sequence apart in the input's layout.
        let inputStride = firstTokenOnly ? length * hidden : hidden
        let first = firstSequence * length * hidden
        let units = intermediateSize
        attention.forward(
            x, batch: batch, length: length, mask: mask, into: attentionOutput.pointer, key: keys?.attention,
            firstSequence: firstSequence, firstTokenOnly: firstTokenOnly)
        attentionDropout.forward(
            attentionOutput.pointer, ldx: hidden, into: normed.pointer, ldy: hidden, rows: queries, columns: hidden,
            residual: x, ldr: inputStride, key: keys?.attentionOutput, first: first, indexStride: inputStride)
        attentionNorm.forward(normed.pointer, into: normed.pointer, rows: queries)
        intermediate.forward(normed.pointer, stride: hidden, rows: queries, into: preActivation.pointer, stride: units)
        gelu.forward(preActivation.pointer, into: activation.pointer, count: queries * units)
        output.forward(activation.pointer, stride: units, rows: queries, into: result.pointer, stride: hidden)
        outputDropout.forward(
            result.pointer, ldx: hidden, into: result.pointer, ldy: hidden, rows: queries, columns: hidden,
            residual: normed.pointer, ldr: hidden, key: keys?.output, first: first, indexStride: inputStride)
        outputNorm.forward(result.pointer, into: result.pointer, rows: queries)
    }

    /// Turns dY in `gradient` (shaped as the last forward's `result`) into dX [batch·length,
    /// hidden], adding every parameter's gradient to its buffer. dX goes to `dx`, or over dY
    /// in `gradient` when nil (not after a first-token forward, whose dY is smaller).
    public func backward(_ gradient: UnsafeMutablePointer<Float>, into dx: UnsafeMutablePointer<Float>? = nil) {
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
        guard firstTokenOnly else {
            if let dx, dx != gradient { dx.update(from: gradient, count: rows * hidden) }
            attention.backward(attentionOutput.pointer, into: dx ?? gradient)
            return
        }
        guard let dx else { preconditionFailure("\(intermediate.weight.name): a first-token backward needs a dX buffer") }
        dx.update(repeating: 0, count: rows * hidden)
        for b in 0..<batch { (dx + b * length * hidden).update(from: gradient + b * hidden, count: hidden) }
        attention.backward(attentionOutput.pointer, into: dx)
    }
}
