import Support

/// Contiguous Float32 storage with a row-major shape, allocated once and reused for every call.
///
/// A class, so that a layer's preallocated buffers are shared by reference rather than copied;
/// `@unchecked Sendable` because the storage is raw memory: one writer at a time is the caller's
/// business. Storage is 64-byte aligned (one cache line, two AVX2 vectors) so that vector loads
/// of a row never straddle a line more than they must.
public final class Tensor: @unchecked Sendable {
    /// Row-major extents, outermost first (NHWC for images, [rows, features] for sequences).
    public private(set) var shape: [Int]
    /// Number of elements, the product of `shape`.
    public let count: Int
    /// The first element. Valid for the tensor's lifetime.
    public let pointer: UnsafeMutablePointer<Float>

    /// A zero-filled tensor.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        count = shape.reduce(1, *)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
    }

    /// A tensor filled uniformly in [-scale, scale) from `seed`, the same on every platform.
    public convenience init(shape: [Int], seed: UInt64, scale: Float = 1) {
        var generator = SeededGenerator(seed: seed)
        self.init(shape: shape, generator: &generator, scale: scale)
    }

    /// A tensor filled uniformly in [-scale, scale) from a generator the caller carries on
    /// (so that the weights of one layer come from one seed).
    public convenience init(shape: [Int], generator: inout SeededGenerator, scale: Float = 1) {
        self.init(shape: shape)
        for i in 0..<count { pointer[i] = generator.nextSymmetricFloat() * scale }
    }

    /// A tensor holding `values` (row-major); throws when their number does not match `shape`.
    public convenience init(shape: [Int], values: [Float]) throws(HwnasError) {
        let expected = shape.reduce(1, *)
        guard values.count == expected else {
            throw HwnasError("tensor of shape \(shape) needs \(expected) values, got \(values.count)")
        }
        self.init(shape: shape)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    deinit {
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    /// The element at one index per dimension (for tests and inspection; not for inner loops).
    public subscript(_ indices: Int...) -> Float {
        get { pointer[offset(indices)] }
        set { pointer[offset(indices)] = newValue }
    }

    /// The elements in row-major order (a copy).
    public var array: [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// Changes the shape without moving data, e.g. [N, 1, 1, C] to [N, C].
    public func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        shape = newShape
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) {
        pointer.update(repeating: value, count: count)
    }

    /// Copies all elements of `other`, which must have the same count.
    public func copy(from other: Tensor) {
        precondition(other.count == count, "copy of \(other.count) elements into \(count)")
        pointer.update(from: other.pointer, count: count)
    }

    /// Adds `other` element-wise in place (the residual connection), vectorised.
    public func add(_ other: Tensor) {
        precondition(other.count == count, "adding \(other.count) elements to \(count)")
        Vector.add(other.pointer, into: pointer, count: count)
    }

    private func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "\(indices.count) indices for shape \(shape)")
        var offset = 0
        for (index, extent) in zip(indices, shape) {
            precondition(index >= 0 && index < extent, "index \(indices) out of shape \(shape)")
            offset = offset * extent + index
        }
        return offset
    }
}
