import Foundation

extension SafeTensors {
    /// One tensor as the file stores it: element type, shape and little-endian bytes.
    public struct Tensor: Equatable, Sendable {
        public var dtype: DType
        public var shape: [Int]
        public var bytes: Data

        /// A tensor of any type from its raw little-endian bytes; the byte count must match
        /// the shape (checked by the writer).
        public init(dtype: DType, shape: [Int], bytes: Data) {
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        /// A float32 tensor; `values` are row-major and must number the product of `shape`
        /// (checked by the writer).
        public init(shape: [Int], floats values: [Float]) {
            #if _endian(little)
            let bytes = values.withUnsafeBytes { Data($0) }
            #else
            var bytes = Data(count: values.count * 4)
            bytes.withUnsafeMutableBytes { raw in
                for (index, value) in values.enumerated() {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            }
            #endif
            self.init(dtype: .f32, shape: shape, bytes: bytes)
        }

        /// The number of elements the shape holds, nil when it overflows.
        public var elementCount: Int? {
            SafeTensors.elementCount(shape)
        }
    }

    /// Where a tensor lies in a file, as its header says.
    public struct TensorInfo: Equatable, Sendable {
        public var dtype: DType
        public var shape: [Int]
        /// Byte offsets into the data that follows the header.
        public var offsets: Range<Int>

        public init(dtype: DType, shape: [Int], offsets: Range<Int>) {
            self.dtype = dtype
            self.shape = shape
            self.offsets = offsets
        }
    }

    /// The product of `shape`, nil when it overflows (a scalar's empty shape holds one element).
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// `[2, 3]`, as shapes are written in messages.
    static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
