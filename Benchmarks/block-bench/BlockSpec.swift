import Support
import SuperNet

/// What another runtime needs to rebuild a block as its own graph: the block's kind and the
/// dimensions of its layers, in plain fields (no key parsing on the other side).
struct BlockSpec: Codable {
    var key: String
    var kind: String
    var macs: Int
    var flops: Double
    var bytes: Double
    var inputShape: [Int]
    var outputShape: [Int]
    /// `NHWC` for images, `NTC` for sequences, `NT` for token ids, `NC` for vectors.
    var layout: String
    var sequence: Int?
    var hidden: Int?
    var intermediate: Int?
    var heads: Int?
    var headDim: Int?
    /// `post` (BERT: layer norm after the residual) or `pre`.
    var norm: String?
    var normEpsilon: Float?
    var resolution: Int?
    var outResolution: Int?
    var inChannels: Int?
    var outChannels: Int?
    var mid: Int?
    var kernel: Int?
    var stride: Int?
    var expands: Bool?
    var squeezeExcite: Bool?
    var seChannels: Int?
    var activation: String?
    var residual: Bool?
    /// Embedding tables: rows of the word, position and token-type tables.
    var vocabulary: Int?
    var positions: Int?
    var tokenTypes: Int?
    /// Classifier: input features and classes (`sequence` set when the class token of a
    /// sequence is layer-normalised first, as in ViT).
    var inputs: Int?
    var classes: Int?

    init(_ block: Block, inputShape: [Int], outputShape: [Int]) throws {
        key = block.key
        kind = block.kind
        macs = block.macs
        flops = block.flops(batch: 1)
        bytes = block.bytes(batch: 1)
        self.inputShape = inputShape
        self.outputShape = outputShape
        switch block {
        case .feedForward(let b):
            layout = "NTC"
            (sequence, hidden, intermediate, norm) = (b.sequence, b.hidden, b.intermediate, b.norm.rawValue)
            normEpsilon = b.norm == .post ? 1e-12 : 1e-6
        case .attention(let b):
            layout = "NTC"
            (sequence, hidden, heads, headDim, norm) = (b.sequence, b.hidden, b.heads, b.headDim, b.norm.rawValue)
            normEpsilon = b.norm == .post ? 1e-12 : 1e-6
        case .mbconv(let b):
            layout = "NHWC"
            (resolution, outResolution, inChannels, outChannels, mid) = (b.resolution, b.outResolution, b.inChannels, b.outChannels, b.mid)
            (kernel, stride, expands, squeezeExcite) = (b.kernel, b.stride, b.expands, b.squeezeExcite)
            (seChannels, activation, residual) = (b.seChannels, b.activation.rawValue, b.residual)
        case .embedding(let b):
            layout = "NT"
            (sequence, hidden, vocabulary, positions, tokenTypes) = (b.sequence, b.hidden, b.vocabulary, b.positions, b.tokenTypes)
            normEpsilon = b.normEpsilon
        case .pooler(let b):
            layout = "NTC"
            (sequence, hidden) = (b.sequence, b.hidden)
        case .classifier(let b):
            layout = b.sequenceBeforeNorm == nil ? "NC" : "NTC"
            (inputs, classes, sequence) = (b.inputs, b.classes, b.sequenceBeforeNorm)
            normEpsilon = b.sequenceBeforeNorm == nil ? nil : b.normEpsilon
        default:
            throw HwnasError("block \(block.key): only embedding, mha, ffn, pooler, classifier and mbconv blocks are described for other runtimes")
        }
    }
}
