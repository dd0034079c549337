/// Multi-head self-attention with its output projection, residual and layer norm, for any
/// number of active heads (elastic: the Q, K, V projections keep `heads * headDim` outputs).
public struct AttentionBlock: BlockConfiguration {
    public enum Norm: String, Hashable, Sendable {
        /// BERT: x = LN(x + Attn(x)).
        case post
        /// ViT: x = x + Attn(LN(x)).
        case pre

        /// The layer norm's epsilon: BERT's 1e-12 after, ViT's 1e-6 before. Every runtime
        /// and exporter reads it here.
        public var epsilon: Float { self == .post ? 1e-12 : 1e-6 }
    }

    public var sequence: Int
    public var hidden: Int
    public var heads: Int
    public var headDim: Int
    public var norm: Norm

    public init(sequence: Int, hidden: Int, heads: Int, headDim: Int = 64, norm: Norm) {
        self.sequence = sequence
        self.hidden = hidden
        self.heads = heads
        self.headDim = headDim
        self.norm = norm
    }

    public var inner: Int { heads * headDim }

    /// `mha-seq:128-hidden:768-heads:8`. A head size other than BERT's 64 is written too
    /// (`mha-seq:64-hidden:384-heads:12-headdim:32`): two blocks of the same width and head
    /// count but different head sizes never share an entry, and the keys of the tables made
    /// before head sizes varied stay what they were.
    public var key: String {
        let base = "mha-seq:\(sequence)-hidden:\(hidden)-heads:\(heads)"
        return headDim == Self.implicitHeadDim ? base : base + "-headdim:\(headDim)"
    }

    /// The head size a key leaves unwritten (BERT-base's and ViT-B's).
    public static let implicitHeadDim = 64
    public var input: TensorShape { .sequence(length: sequence, features: hidden) }
    public var output: TensorShape { input }
    public var macs: Int {
        let projections = sequence * hidden * inner * 4
        let products = 2 * heads * sequence * sequence * headDim
        return projections + products
    }
    public var params: Int { 3 * (hidden * inner + inner) + inner * hidden + hidden + 2 * hidden }
}
