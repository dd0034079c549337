import Kernels

/// BERT's input embeddings with their backward pass: word + position + token-type rows summed,
/// then LayerNorm and dropout. Positions run 0 ..< length in every sequence (padding included,
/// as Hugging Face's default position ids).
///
/// The backward adds each token's gradient row to the rows of the three tables it read. The
/// word table is large (30,522 x 384 in MiniLM) and a batch reads a few hundred of its rows,
/// so its gradient is only touched there, and `zeroWordGradients()` clears just those rows.
/// The padding token's row gets no gradient (`nn.Embedding(padding_idx:)`).
public final class EmbeddingsOp {
    public let words: ParameterTensor
    public let positions: ParameterTensor
    public let tokenTypes: ParameterTensor
    public let norm: LayerNormOp
    public let dropout: DropoutOp
    public let paddingIndex: Int?
    public let hidden: Int
    public let maxTokens: Int
    /// [maxTokens, hidden]: the embeddings of the last forward.
    public let result: Tensor

    private let ids: UnsafeMutablePointer<Int32>
    private let types: UnsafeMutablePointer<Int32>
    private var rows = 0, length = 0
    /// Word rows whose gradient may be non-zero, and a flag per row.
    private var touchedRows: [Int32] = []
    private var touched: [Bool]

    public init(
        words: ParameterTensor, positions: ParameterTensor, tokenTypes: ParameterTensor, norm: LayerNormOp,
        dropout: Float, paddingIndex: Int?, maxTokens: Int
    ) {
        hidden = words.columns
        precondition(positions.columns == hidden && tokenTypes.columns == hidden && norm.features == hidden,
                     "embeddings: tables \(words.shape), \(positions.shape), \(tokenTypes.shape) and LayerNorm(\(norm.features)) disagree")
        self.words = words
        self.positions = positions
        self.tokenTypes = tokenTypes
        self.norm = norm
        self.dropout = DropoutOp(probability: dropout)
        self.paddingIndex = paddingIndex
        self.maxTokens = maxTokens
        result = Tensor(shape: [maxTokens, hidden])
        ids = .allocate(capacity: maxTokens)
        types = .allocate(capacity: maxTokens)
        touched = Array(repeating: false, count: words.rows)
        touchedRows.reserveCapacity(min(words.rows, 4 * maxTokens))
    }

    deinit {
        ids.deallocate()
        types.deallocate()
    }

    /// `result` = dropout(LayerNorm(word[id] + position[t mod length] + type[tokenType])) for
    /// `batch` x `length` tokens. Ids and types must be in range (the model checks them).
    public func forward(ids: [Int32], tokenTypes: [Int32], batch: Int, length: Int, key: UInt64?) {
        forward(ids: ids[...], tokenTypes: tokenTypes[...], batch: batch, length: length, key: key)
    }

    /// The same for `batch` sequences of a larger batch, the first of them its sequence
    /// `firstSequence` (which places the dropout mask).
    public func forward(
        ids: ArraySlice<Int32>, tokenTypes: ArraySlice<Int32>, batch: Int, length: Int, key: UInt64?, firstSequence: Int = 0
    ) {
        let rows = batch * length
        precondition(rows <= maxTokens && ids.count == rows && tokenTypes.count == rows && length <= positions.rows,
                     "embeddings: \(batch) x \(length) tokens, sized for \(maxTokens)")
        self.rows = rows
        self.length = length
        let n = hidden
        let idStart = ids.startIndex, typeStart = tokenTypes.startIndex
        for t in 0..<rows {
            let id = Int(ids[idStart + t]), type = Int(tokenTypes[typeStart + t])
            precondition(id >= 0 && id < words.rows && type >= 0 && type < self.tokenTypes.rows, "embeddings: id \(id), type \(type)")
            self.ids[t] = Int32(id)
            types[t] = Int32(type)
            Elementwise.sum(
                words.value + id * n, positions.value + (t % length) * n, self.tokenTypes.value + type * n,
                into: result.pointer + t * n, count: n)
        }
        norm.forward(result.pointer, into: result.pointer, rows: rows)
        dropout.forward(result.pointer, into: result.pointer, count: rows * n, key: key, first: firstSequence * length * n)
    }

    /// Adds the tables' gradients for dE [tokens, hidden] of the last forward; `gradient` is
    /// consumed (overwritten with intermediate values).
    public func backward(_ gradient: UnsafeMutablePointer<Float>) {
        let n = hidden
        dropout.backward(gradient, into: gradient)
        norm.backward(gradient, into: gradient)
        for t in 0..<rows {
            let row = gradient + t * n
            let id = Int(ids[t])
            if id != paddingIndex {
                if !touched[id] {
                    touched[id] = true
                    touchedRows.append(ids[t])
                }
                Elementwise.add(row, into: words.gradient + id * n, count: n)
            }
            Elementwise.add(row, into: positions.gradient + (t % length) * n, count: n)
            Elementwise.add(row, into: tokenTypes.gradient + Int(types[t]) * n, count: n)
        }
    }

    /// Adds the word-table gradient `other` holds (another shard's, laid out as this one's) to
    /// this one's, row by row in the order `other` first touched them, and zeroes it there.
    public func absorbWordGradients(of other: EmbeddingsOp) {
        let n = hidden
        for id in other.touchedRows {
            let row = Int(id)
            if !touched[row] {
                touched[row] = true
                touchedRows.append(id)
            }
            let source = other.words.gradient + row * n
            Elementwise.add(source, into: words.gradient + row * n, count: n)
            source.update(repeating: 0, count: n)
            other.touched[row] = false
        }
        other.touchedRows.removeAll(keepingCapacity: true)
    }

    /// Zeroes the word rows the backward passes since the last call touched.
    public func zeroWordGradients() {
        for id in touchedRows {
            (words.gradient + Int(id) * hidden).update(repeating: 0, count: hidden)
            touched[Int(id)] = false
        }
        touchedRows.removeAll(keepingCapacity: true)
    }
}
