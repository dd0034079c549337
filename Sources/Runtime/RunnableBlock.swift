import Kernels
import Support
import SuperNet

/// A block configuration built to run: its weights, buffers and input and output tensors,
/// allocated once; `run()` computes `output` from `input` and allocates nothing.
///
/// Weights are deterministic pseudo-random values from a seed (uniform ±1/√fan-in, batch norm
/// already folded into the convolutions, as deployment runtimes run them), so two builds of the
/// same block compute the same numbers. Blocks of a sub-network are chained by handing one
/// block's output tensor to the next as its input.
public final class RunnableBlock: @unchecked Sendable {
    public let block: Block
    public let options: ExecutionOptions
    /// The seed the weights (and an embedding's token ids) were drawn from.
    public let seed: UInt64
    public let input: Tensor
    public let output: Tensor
    private let body: () -> Void
    private let parameterReaders: Parameters

    /// Builds `block`; `input`, when given, must have the block's input shape for the batch.
    public init(_ block: Block, options: ExecutionOptions = ExecutionOptions(), seed: UInt64, input: Tensor? = nil) throws {
        let batch = options.batch
        let inShape = Self.shape(block.input, batch: batch)
        if let input, input.shape != inShape {
            throw HwnasError("block \(block.key) takes input \(inShape), not \(input.shape)")
        }
        let x = input ?? Tensor(shape: inShape, seed: seed ^ 0xA11CE, scale: 1)
        let y = Tensor(shape: Self.shape(block.output, batch: batch))
        self.block = block
        self.options = options
        self.seed = seed
        self.input = x
        self.output = y
        var parameters = Parameters()
        body = try Self.program(block, options: options, seed: seed, x: x, y: y, parameters: &parameters)
        parameterReaders = parameters
    }

    /// The block's weights by layer name (`project.weight`, `norm.bias`, ...) in plain
    /// row-major layouts (linear layers [in, out], depthwise [k, k, channels]): what a reference
    /// implementation or another runtime needs to compute the same numbers. Read on demand
    /// (packed weights are unpacked into new tensors), so holding a block costs nothing extra.
    public func parameters() -> [String: Tensor] {
        parameterReaders.mapValues { $0() }
    }

    /// Readers of a block's weights, filled in while its program is built.
    typealias Parameters = [String: () -> Tensor]

    /// Runs the block once: `output` = block(`input`).
    @inline(__always)
    public func run() {
        body()
    }

    /// Floating-point operations of one call: two per MAC.
    public var flops: Double {
        block.flops(batch: options.batch)
    }

    /// Bytes one call must move at least once: weights, input and output.
    public var bytes: Double {
        block.bytes(batch: options.batch)
    }

    /// The tensor shape of a block's input or output for a batch: NHWC images, [N, tokens,
    /// features] sequences, [N, features] vectors (a 1x1 map is a vector).
    public static func shape(_ shape: TensorShape, batch: Int) -> [Int] {
        switch shape {
        case .image(1, 1, let c): [batch, c]
        case .image(let h, let w, let c): [batch, h, w, c]
        case .sequence(let n, let d): [batch, n, d]
        case .vector(let n): [batch, n]
        }
    }

    static func program(_ block: Block, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                        parameters p: inout Parameters) throws -> () -> Void {
        switch block {
        case .embedding(let b): return embedding(b, options: options, seed: seed, y: y, parameters: &p)
        case .patchEmbedding(let b): return patchEmbedding(b, options: options, seed: seed, x: x, y: y, parameters: &p)
        case .attention(let b): return attention(b, options: options, seed: seed, x: x, y: y, parameters: &p)
        case .feedForward(let b): return feedForward(b, options: options, seed: seed, x: x, y: y, parameters: &p)
        case .pooler(let b): return pooler(b, options: options, seed: seed, x: x, y: y, parameters: &p)
        case .classifier(let b): return classifier(b, options: options, seed: seed, x: x, y: y, parameters: &p)
        case .convolution(let b): return convolution(b, options: options, seed: seed, x: x, y: y, parameters: &p)
        case .mbconv(let b): return mbconv(b, options: options, seed: seed, x: x, y: y, parameters: &p)
        case .pool: return { GlobalAveragePool()(x, y) }
        }
    }

    /// Token ids are a fixed pseudo-random sequence: a lookup's cost does not depend on them.
    static func embedding(_ b: EmbeddingBlock, options: ExecutionOptions, seed: UInt64, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        let embedding = Embedding(vocabulary: b.vocabulary, maxPositions: b.positions, typeVocabulary: b.tokenTypes,
                                  hidden: b.hidden, epsilon: b.normEpsilon, seed: seed)
        parameters["words"] = { embedding.words }
        parameters["positions"] = { embedding.positions }
        parameters["types"] = { embedding.types }
        register("norm", embedding.norm, into: &parameters)
        let tokens = embeddingTokens(b, batch: options.batch, seed: seed)
        return { embedding(tokens: tokens, sequence: b.sequence, y) }
    }

    /// The token ids an embedding block built from `seed` looks up (batch·sequence, sequence
    /// by sequence): a fixed pseudo-random sequence, token type 0 throughout.
    public static func embeddingTokens(_ b: EmbeddingBlock, batch: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed ^ 0x70CE5)
        return (0..<(batch * b.sequence)).map { _ in Int(generator.next() % UInt64(b.vocabulary)) }
    }

    /// Patches are cut out into rows (a copy, as frameworks do it), projected by one linear layer,
    /// and placed after the class token with the position embeddings added.
    static func patchEmbedding(_ b: PatchEmbeddingBlock, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        let n = options.batch, p = b.patch, c = b.channels, side = b.resolution / b.patch
        let patchLength = p * p * c
        let patches = Tensor(shape: [n, b.patches, patchLength])
        let projected = Tensor(shape: [n, b.patches, b.hidden])
        let projection = Linear(inFeatures: patchLength, outFeatures: b.hidden, backend: options.backend, seed: seed)
        let classToken = Tensor(shape: [b.hidden], seed: seed ^ 0xC1A55, scale: 0.02)
        let positions = Tensor(shape: [b.tokens, b.hidden], seed: seed ^ 0x9051, scale: 0.02)
        register("projection", projection, into: &parameters)
        parameters["classToken"] = { classToken }
        parameters["positions"] = { positions }
        let r = b.resolution, h = b.hidden, tokens = b.tokens
        return {
            for image in 0..<n {
                let source = x.pointer + image * r * r * c
                let target = patches.pointer + image * b.patches * patchLength
                for py in 0..<side {
                    for px in 0..<side {
                        let row = target + (py * side + px) * patchLength
                        for dy in 0..<p {
                            (row + dy * p * c).update(from: source + ((py * p + dy) * r + px * p) * c, count: p * c)
                        }
                    }
                }
            }
            projection(patches, projected)
            for image in 0..<n {
                let out = y.pointer + image * tokens * h
                for j in 0..<h { out[j] = classToken.pointer[j] + positions.pointer[j] }
                let rows = projected.pointer + image * b.patches * h
                for t in 1..<tokens {
                    let o = out + t * h, s = rows + (t - 1) * h, q = positions.pointer + t * h
                    for j in 0..<h { o[j] = s[j] + q[j] }
                }
            }
        }
    }

    /// BERT (post-norm): y = LN(x + MHA(x)); ViT (pre-norm): y = x + MHA(LN(x)).
    static func attention(_ b: AttentionBlock, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        let mha = MultiHeadAttention(hidden: b.hidden, heads: b.heads, headDimension: b.headDim, sequence: b.sequence,
                                     batch: options.batch, backend: options.backend, seed: seed)
        let norm = LayerNorm(features: b.hidden, epsilon: b.norm.epsilon, seed: seed ^ 0x1A7E)
        let scratch = Tensor(shape: y.shape)
        register("attention.qkv", mha.projection, into: &parameters)
        register("attention.output", mha.output, into: &parameters)
        register("norm", norm, into: &parameters)
        switch b.norm {
        case .post:
            return {
                mha(x, scratch, residual: x)
                norm(scratch, y)
            }
        case .pre:
            return {
                norm(x, scratch)
                mha(scratch, y, residual: x)
            }
        }
    }

    /// BERT: y = LN(x + W2·GELU(W1·x)); ViT: y = x + W2·GELU(W1·LN(x)).
    static func feedForward(_ b: FeedForwardBlock, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        let up = Linear(inFeatures: b.hidden, outFeatures: b.intermediate, activation: .gelu, backend: options.backend, seed: seed)
        let down = Linear(inFeatures: b.intermediate, outFeatures: b.hidden, backend: options.backend, seed: seed ^ 0xD0A7)
        let norm = LayerNorm(features: b.hidden, epsilon: b.norm.epsilon, seed: seed ^ 0x1A7E)
        let hidden = Tensor(shape: [options.batch, b.sequence, b.intermediate])
        let scratch = Tensor(shape: y.shape)
        register("up", up, into: &parameters)
        register("down", down, into: &parameters)
        register("norm", norm, into: &parameters)
        switch b.norm {
        case .post:
            return {
                up(x, hidden)
                down(hidden, scratch, residual: x)
                norm(scratch, y)
            }
        case .pre:
            return {
                norm(x, scratch)
                up(scratch, hidden)
                down(hidden, y, residual: x)
            }
        }
    }

    /// The first token of each sequence through a dense layer and tanh.
    static func pooler(_ b: PoolerBlock, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        let dense = Linear(inFeatures: b.hidden, outFeatures: b.hidden, activation: .tanh, backend: options.backend, seed: seed)
        register("dense", dense, into: &parameters)
        let first = Tensor(shape: [options.batch, b.hidden])
        let n = options.batch, h = b.hidden, s = b.sequence
        return {
            for image in 0..<n {
                (first.pointer + image * h).update(from: x.pointer + image * s * h, count: h)
            }
            dense(first, y)
        }
    }

    /// The final linear layer; for ViT the class token is layer-normalised first.
    static func classifier(_ b: ClassifierBlock, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        let dense = Linear(inFeatures: b.inputs, outFeatures: b.classes, backend: options.backend, seed: seed)
        register("dense", dense, into: &parameters)
        guard let sequence = b.sequenceBeforeNorm else {
            return { dense(x, y) }
        }
        let norm = LayerNorm(features: b.inputs, epsilon: b.normEpsilon, seed: seed ^ 0x1A7E)
        register("norm", norm, into: &parameters)
        let first = Tensor(shape: [options.batch, b.inputs])
        let n = options.batch, h = b.inputs
        return {
            for image in 0..<n {
                (first.pointer + image * h).update(from: x.pointer + image * sequence * h, count: h)
            }
            norm(first, first)
            dense(first, y)
        }
    }

    static func convolution(_ b: ConvBlock, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        if b.kernel == 1 && b.stride == 1 {
            let conv = Convolution1x1(inChannels: b.inChannels, outChannels: b.outChannels, activation: Activation(b.activation),
                                      backend: options.backend, seed: seed)
            register("conv", conv.linear, into: &parameters)
            return { conv(x, y) }
        }
        let conv = Convolution(inChannels: b.inChannels, outChannels: b.outChannels, kernelSize: b.kernel, stride: b.stride,
                               activation: Activation(b.activation), height: b.resolution, width: b.resolution, seed: seed)
        parameters["conv.weight"] = { conv.weight }
        parameters["conv.bias"] = { conv.bias }
        return { conv(x, y) }
    }

    /// 1x1 expand (+ activation), k x k depthwise (+ activation), squeeze-excite, 1x1 project
    /// with the residual added in its epilogue.
    static func mbconv(_ b: MBConvBlock, options: ExecutionOptions, seed: UInt64, x: Tensor, y: Tensor,
                parameters: inout Parameters) -> () -> Void {
        let n = options.batch
        let expanded = b.expands ? Tensor(shape: [n, b.resolution, b.resolution, b.mid]) : x
        let expand = b.expands
            ? Convolution1x1(inChannels: b.inChannels, outChannels: b.mid, activation: Activation(b.activation), backend: options.backend, seed: seed)
            : nil
        let depthwise = DepthwiseConvolution(channels: b.mid, kernelSize: b.kernel, stride: b.stride, activation: Activation(b.activation),
                                             seed: seed ^ 0xDE97)
        let filtered = Tensor(shape: [n, b.outResolution, b.outResolution, b.mid])
        let squeeze = b.squeezeExcite ? SqueezeExcite(channels: b.mid, midChannels: b.seChannels, batch: n, seed: seed ^ 0x5E) : nil
        let project = Convolution1x1(inChannels: b.mid, outChannels: b.outChannels, backend: options.backend, seed: seed ^ 0x9A0)
        let residual = b.residual ? x : nil
        if let expand { register("expand", expand.linear, into: &parameters) }
        parameters["depthwise.weight"] = { depthwise.weight }
        parameters["depthwise.bias"] = { depthwise.bias }
        if let squeeze {
            register("se.reduce", squeeze.reduce, into: &parameters)
            register("se.expand", squeeze.expand, into: &parameters)
        }
        register("project", project.linear, into: &parameters)
        return {
            expand?(x, expanded)
            depthwise(expanded, filtered)
            squeeze?(filtered)
            project(filtered, y, residual: residual)
        }
    }

    static func register(_ name: String, _ linear: Linear, into parameters: inout Parameters) {
        parameters[name + ".weight"] = { linear.weight }
        parameters[name + ".bias"] = { linear.bias }
    }

    static func register(_ name: String, _ norm: LayerNorm, into parameters: inout Parameters) {
        parameters[name + ".weight"] = { norm.gamma }
        parameters[name + ".bias"] = { norm.beta }
    }
}
