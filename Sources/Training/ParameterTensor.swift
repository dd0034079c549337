/// One named parameter of a model: its shape and where its values and its gradient live.
///
/// A view into a `ParameterStore` (which owns the memory and outlives the ops holding these).
/// Names are Hugging Face's (`bert.encoder.layer.0.attention.self.query.weight`), shapes are
/// PyTorch's (a linear layer's weight is [out, in], row-major), so that a checkpoint maps 1:1.
public struct ParameterTensor: @unchecked Sendable {
    public let name: String
    public let shape: [Int]
    /// Offset of the first value in the store's `values` (and of the first gradient in its
    /// `gradients`, and of the optimiser's moments in theirs).
    public let offset: Int
    public let value: UnsafeMutablePointer<Float>
    public let gradient: UnsafeMutablePointer<Float>

    /// Number of elements, the product of `shape`.
    public var count: Int { shape.reduce(1, *) }

    /// Rows of a matrix (the first extent), 1 for a scalar.
    public var rows: Int { shape.first ?? 1 }

    /// Elements per row: the product of the extents after the first (the leading dimension
    /// of a row-major matrix).
    public var columns: Int { shape.dropFirst().reduce(1, *) }
}
