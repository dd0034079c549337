import Support

/// The shape and regularisation of a BERT encoder for sequence classification, as Hugging
/// Face's `BertConfig` describes it (post-layer-norm, GELU erf form, absolute positions).
public struct BertConfiguration: Equatable, Codable, Sendable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var heads: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    /// Classes of the classifier on the pooled [CLS] state.
    public var labels: Int
    public var layerNormEpsilon: Float
    /// Dropout after the embeddings, after each attention and feed-forward block, and on the
    /// pooled output before the classifier.
    public var hiddenDropout: Float
    /// Dropout on the attention probabilities.
    public var attentionDropout: Float
    /// The word row that gets no gradient (the padding token's), or nil.
    public var paddingTokenID: Int?
    /// Standard deviation of the normal initialisation of weights and embeddings.
    public var initializerRange: Float

    public init(
        vocabularySize: Int, hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int,
        maxPositions: Int = 512, typeVocabularySize: Int = 2, labels: Int = 2, layerNormEpsilon: Float = 1e-12,
        hiddenDropout: Float = 0.1, attentionDropout: Float = 0.1, paddingTokenID: Int? = 0, initializerRange: Float = 0.02
    ) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.labels = labels
        self.layerNormEpsilon = layerNormEpsilon
        self.hiddenDropout = hiddenDropout
        self.attentionDropout = attentionDropout
        self.paddingTokenID = paddingTokenID
        self.initializerRange = initializerRange
    }

    /// MiniLM-L6-H384 (all-MiniLM-L6-v2's encoder) with a two-class head.
    public static let miniLML6H384 = BertConfiguration(
        vocabularySize: 30_522, hiddenSize: 384, layers: 6, heads: 12, intermediateSize: 1536)

    public var headDimension: Int { hiddenSize / heads }

    /// Throws naming the first field that cannot describe a model.
    public func validate() throws(HwnasError) {
        let positive: [(String, Int)] = [
            ("vocabularySize", vocabularySize), ("hiddenSize", hiddenSize), ("layers", layers), ("heads", heads),
            ("intermediateSize", intermediateSize), ("maxPositions", maxPositions),
            ("typeVocabularySize", typeVocabularySize), ("labels", labels),
        ]
        for (field, value) in positive where value <= 0 {
            throw HwnasError("BERT configuration: \(field) is \(value), must be positive")
        }
        guard hiddenSize % heads == 0 else {
            throw HwnasError("BERT configuration: \(heads) heads do not divide hiddenSize \(hiddenSize)")
        }
        for (field, value) in [("hiddenDropout", hiddenDropout), ("attentionDropout", attentionDropout)] where !(value >= 0 && value < 1) {
            throw HwnasError("BERT configuration: \(field) is \(value), must be in [0, 1)")
        }
        guard layerNormEpsilon > 0, initializerRange >= 0 else {
            throw HwnasError("BERT configuration: layerNormEpsilon \(layerNormEpsilon) must be positive, initializerRange \(initializerRange) non-negative")
        }
        if let paddingTokenID, !(0..<vocabularySize).contains(paddingTokenID) {
            throw HwnasError("BERT configuration: paddingTokenID \(paddingTokenID) is outside the vocabulary of \(vocabularySize)")
        }
    }
}
