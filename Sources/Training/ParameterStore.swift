import Support

/// The parameters of a model in named tensors: values and gradients each in one contiguous,
/// 64-byte aligned block, every tensor starting on a 64-byte boundary.
///
/// One block rather than a buffer per tensor so that zeroing the gradients, the optimiser's
/// update and the gradient norm are single passes over memory, and so that a checkpoint reader
/// or writer gets `(name, shape, pointer)` for every tensor without knowing the model.
public final class ParameterStore: @unchecked Sendable {
    /// The tensors in the order they were declared (the order of a checkpoint).
    public let tensors: [ParameterTensor]
    /// Floats allocated in `values` (and `gradients`), alignment padding included.
    public let capacity: Int
    /// All values, tensor by tensor at their `offset`s.
    public let values: UnsafeMutablePointer<Float>
    /// All gradients, laid out as `values`.
    public let gradients: UnsafeMutablePointer<Float>
    private let index: [String: Int]

    /// Floats per alignment unit (64 bytes).
    static let alignment = 16

    /// Zero-filled values and gradients for `layout`, in its order. Throws on a repeated or
    /// empty name, or an empty or negative extent.
    public init(_ layout: [(name: String, shape: [Int])]) throws(HwnasError) {
        var index: [String: Int] = [:]
        var offsets: [Int] = []
        var total = 0
        for (position, entry) in layout.enumerated() {
            guard !entry.name.isEmpty else { throw HwnasError("parameter \(position) has no name") }
            guard !entry.shape.isEmpty, entry.shape.allSatisfy({ $0 > 0 }) else {
                throw HwnasError("parameter \(entry.name): shape \(entry.shape) must have positive extents")
            }
            guard index[entry.name] == nil else { throw HwnasError("parameter \(entry.name) is declared twice") }
            index[entry.name] = position
            offsets.append(total)
            let count = entry.shape.reduce(1, *)
            total += (count + Self.alignment - 1) / Self.alignment * Self.alignment
        }
        capacity = max(total, Self.alignment)
        values = Self.allocate(capacity)
        gradients = Self.allocate(capacity)
        var tensors: [ParameterTensor] = []
        tensors.reserveCapacity(layout.count)
        for (entry, offset) in zip(layout, offsets) {
            tensors.append(ParameterTensor(
                name: entry.name, shape: entry.shape, offset: offset,
                value: values + offset, gradient: gradients + offset))
        }
        self.tensors = tensors
        self.index = index
    }

    deinit {
        UnsafeMutableRawPointer(values).deallocate()
        UnsafeMutableRawPointer(gradients).deallocate()
    }

    /// The tensor called `name`, or nil.
    public subscript(name: String) -> ParameterTensor? {
        index[name].map { tensors[$0] }
    }

    /// The tensor called `name`; throws naming it when there is none.
    public func tensor(named name: String) throws(HwnasError) -> ParameterTensor {
        guard let tensor = self[name] else { throw HwnasError("no parameter named \(name)") }
        return tensor
    }

    /// Every tensor as (name, shape, values): what a checkpoint writer reads and a reader fills.
    public var namedValues: [(name: String, shape: [Int], pointer: UnsafeMutablePointer<Float>)] {
        tensors.map { ($0.name, $0.shape, $0.value) }
    }

    /// Every tensor's gradient as (name, shape, gradient).
    public var namedGradients: [(name: String, shape: [Int], pointer: UnsafeMutablePointer<Float>)] {
        tensors.map { ($0.name, $0.shape, $0.gradient) }
    }

    /// Number of parameters (alignment padding excluded).
    public var parameterCount: Int { tensors.reduce(0) { $0 + $1.count } }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        gradients.update(repeating: 0, count: capacity)
    }

    /// Sets every gradient to zero except those of `skipped` (whose owners zero what they
    /// touched: a word-embedding table is mostly untouched by a batch).
    public func zeroGradients(except skipped: Set<String>) {
        for tensor in tensors where !skipped.contains(tensor.name) {
            tensor.gradient.update(repeating: 0, count: tensor.count)
        }
    }

    static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
        return raw.initializeMemory(as: Float.self, repeating: 0, count: count)
    }
}
