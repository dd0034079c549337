import Support

/// Float values with a row-major shape, as weights and activations travel between hwnas and an
/// ONNX model: the kernels' layouts go in, ONNX's layouts come out (`permuted`, `reshaped`).
public struct PlainTensor: Equatable, Sendable {
    public private(set) var shape: [Int]
    public private(set) var values: [Float]

    /// Throws when the number of values is not the product of `shape`.
    public init(shape: [Int], values: [Float]) throws(HwnasError) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw HwnasError("tensor of shape \(shape) given \(values.count) values")
        }
        self.shape = shape
        self.values = values
    }

    /// A tensor of one value per element of `shape`.
    public init(shape: [Int], repeating value: Float) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        values = Array(repeating: value, count: shape.reduce(1, *))
    }

    public var count: Int { values.count }

    /// The same values under another shape of as many elements.
    public func reshaped(_ newShape: [Int]) throws(HwnasError) -> PlainTensor {
        try PlainTensor(shape: newShape, values: values)
    }

    /// The axes reordered: axis i of the result is axis `order[i]` of this tensor (numpy's
    /// `transpose(order)`), values copied into the new row-major order.
    public func permuted(_ order: [Int]) -> PlainTensor {
        precondition(order.sorted() == Array(shape.indices), "permutation \(order) of a rank-\(shape.count) tensor")
        let rank = shape.count
        var strides = Array(repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let newShape = order.map { shape[$0] }
        let sourceStrides = order.map { strides[$0] }
        var result = [Float](repeating: 0, count: values.count)
        var index = Array(repeating: 0, count: rank)
        var source = 0
        values.withUnsafeBufferPointer { from in
            for target in 0..<result.count {
                result[target] = from[source]
                // Odometer over the new shape, carrying the source offset along.
                var axis = rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    source += sourceStrides[axis]
                    if index[axis] < newShape[axis] { break }
                    source -= sourceStrides[axis] * newShape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        return PlainTensor(unchecked: newShape, result)
    }

    /// A matrix transposed: [rows, columns] to [columns, rows].
    public func transposed() -> PlainTensor {
        precondition(shape.count == 2, "transposing a tensor of shape \(shape)")
        return permuted([1, 0])
    }

    /// Rows `range` of a matrix (the first axis sliced, the others kept).
    public func rows(_ range: Range<Int>) -> PlainTensor {
        precondition(!shape.isEmpty && range.lowerBound >= 0 && range.upperBound <= shape[0], "rows \(range) of shape \(shape)")
        let width = shape.dropFirst().reduce(1, *)
        return PlainTensor(unchecked: [range.count] + shape.dropFirst(), Array(values[range.lowerBound * width..<range.upperBound * width]))
    }

    /// Columns `range` of a matrix.
    public func columns(_ range: Range<Int>) -> PlainTensor {
        precondition(shape.count == 2 && range.lowerBound >= 0 && range.upperBound <= shape[1], "columns \(range) of shape \(shape)")
        var result: [Float] = []
        result.reserveCapacity(shape[0] * range.count)
        for row in 0..<shape[0] {
            result.append(contentsOf: values[row * shape[1] + range.lowerBound..<row * shape[1] + range.upperBound])
        }
        return PlainTensor(unchecked: [shape[0], range.count], result)
    }

    /// Matrices of one row count side by side: [rows, a] ++ [rows, b] ++ ... along the columns.
    public static func concatenatingColumns(_ parts: [PlainTensor]) -> PlainTensor {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.shape.count == 2 && $0.shape[0] == parts[0].shape[0] },
                     "concatenating the columns of \(parts.map(\.shape))")
        let rows = parts[0].shape[0]
        var result: [Float] = []
        result.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for row in 0..<rows {
            for part in parts {
                let width = part.shape[1]
                result.append(contentsOf: part.values[row * width..<(row + 1) * width])
            }
        }
        return PlainTensor(unchecked: [rows, parts.reduce(0) { $0 + $1.shape[1] }], result)
    }

    /// Vectors (or tensors of equal trailing shape) one after the other along the first axis.
    public static func concatenatingRows(_ parts: [PlainTensor]) -> PlainTensor {
        precondition(!parts.isEmpty && parts.allSatisfy { Array($0.shape.dropFirst()) == Array(parts[0].shape.dropFirst()) },
                     "concatenating the rows of \(parts.map(\.shape))")
        let rows = parts.reduce(0) { $0 + ($1.shape.first ?? 1) }
        return PlainTensor(unchecked: [rows] + parts[0].shape.dropFirst(), parts.flatMap(\.values))
    }

    private init(unchecked shape: [Int], _ values: [Float]) {
        self.shape = shape
        self.values = values
    }
}
