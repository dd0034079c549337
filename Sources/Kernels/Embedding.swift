import Support

/// BERT's input embedding: word + position + token-type rows summed, then LayerNorm.
///
/// Each output row is summed in one vector pass and normalised while it is in L1. Positions run
/// 0 ..< sequence within each sequence of the batch.
public struct Embedding: Sendable {
    public let vocabulary: Int
    public let maxPositions: Int
    public let typeVocabulary: Int
    public let hidden: Int
    /// [vocabulary, hidden].
    public let words: Tensor
    /// [maxPositions, hidden].
    public let positions: Tensor
    /// [typeVocabulary, hidden].
    public let types: Tensor
    public let norm: LayerNorm

    /// Tables uniform in ±0.05 (BERT initialises N(0, 0.02)) from `seed`; gamma 1, beta 0.
    public init(
        vocabulary: Int = 30_522, maxPositions: Int = 512, typeVocabulary: Int = 2, hidden: Int = 768,
        epsilon: Float = 1e-12, seed: UInt64
    ) {
        var generator = SeededGenerator(seed: seed)
        self.vocabulary = vocabulary
        self.maxPositions = maxPositions
        self.typeVocabulary = typeVocabulary
        self.hidden = hidden
        words = Tensor(shape: [vocabulary, hidden], generator: &generator, scale: 0.05)
        positions = Tensor(shape: [maxPositions, hidden], generator: &generator, scale: 0.05)
        types = Tensor(shape: [typeVocabulary, hidden], generator: &generator, scale: 0.05)
        norm = LayerNorm(features: hidden, epsilon: epsilon)
    }

    /// Explicit tables ([rows, hidden] each) and normalisation.
    public init(words: Tensor, positions: Tensor, types: Tensor, norm: LayerNorm) throws(HwnasError) {
        guard words.shape.count == 2, positions.shape.count == 2, types.shape.count == 2,
              words.shape[1] == norm.features, positions.shape[1] == norm.features, types.shape[1] == norm.features else {
            throw HwnasError("Embedding: tables \(words.shape), \(positions.shape), \(types.shape) and LayerNorm(\(norm.features)) disagree on the hidden size")
        }
        vocabulary = words.shape[0]
        maxPositions = positions.shape[0]
        typeVocabulary = types.shape[0]
        hidden = norm.features
        self.words = words
        self.positions = positions
        self.types = types
        self.norm = norm
    }

    /// Embeds `tokens` (batch·sequence ids, sequence-major) into `y` ([batch, sequence, hidden]
    /// or [batch·sequence, hidden]); `typeIDs` defaults to all 0 (one segment).
    public func callAsFunction(tokens: [Int], typeIDs: [Int]? = nil, sequence: Int, _ y: Tensor) {
        precondition(sequence > 0 && sequence <= maxPositions && tokens.count % sequence == 0,
                     "Embedding: \(tokens.count) tokens in sequences of \(sequence) (max \(maxPositions))")
        precondition(y.count == tokens.count * hidden && y.shape.last == hidden,
                     "Embedding: output \(y.shape) for \(tokens.count) tokens of \(hidden)")
        precondition(typeIDs == nil || typeIDs!.count == tokens.count, "Embedding: \(typeIDs!.count) type ids for \(tokens.count) tokens")
        let h = hidden
        let vectorEnd = h & ~7
        for (row, token) in tokens.enumerated() {
            precondition(token >= 0 && token < vocabulary, "Embedding: token id \(token) outside 0..<\(vocabulary)")
            let type = typeIDs?[row] ?? 0
            precondition(type >= 0 && type < typeVocabulary, "Embedding: type id \(type) outside 0..<\(typeVocabulary)")
            let w = words.pointer + token * h
            let p = positions.pointer + (row % sequence) * h
            let t = types.pointer + type * h
            let out = y.pointer + row * h
            var j = 0
            while j < vectorEnd {
                Vector.store(Vector.load(w + j) + Vector.load(p + j) + Vector.load(t + j), out + j)
                j += 8
            }
            while j < h { out[j] = w[j] + p[j] + t[j]; j += 1 }
            norm.run(rows: 1, out, out)
        }
    }
}
