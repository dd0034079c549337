import Foundation
import OnnxSchema
import Support

/// A graph input or output's value: its name, shape and elements, as ONNX's test data sets
/// store them (one serialized `TensorProto` per file).
public struct NamedTensor: Equatable, Sendable {
    public enum Elements: Equatable, Sendable {
        case float([Float])
        case int64([Int64])
    }

    public var name: String
    public var shape: [Int]
    public var elements: Elements

    /// Throws when the number of elements is not the product of `shape`.
    public init(name: String, shape: [Int], elements: Elements) throws(HwnasError) {
        let count: Int
        switch elements {
        case .float(let values): count = values.count
        case .int64(let values): count = values.count
        }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw HwnasError("tensor '\(name)' of shape \(shape) given \(count) values")
        }
        self.name = name
        self.shape = shape
        self.elements = elements
    }

    public init(name: String, _ tensor: PlainTensor) {
        self.name = name
        shape = tensor.shape
        elements = .float(tensor.values)
    }

    public var elementType: OnnxElementType {
        switch elements {
        case .float: .float
        case .int64: .int64
        }
    }

    /// The float values (nil for integers).
    public var floats: [Float]? {
        if case .float(let values) = elements { return values }
        return nil
    }

    /// The tensor as ONNX stores it: little-endian raw data.
    public var proto: Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = elementType.dataType
        switch elements {
        case .float(let values): tensor.rawData = OnnxGraphBuilder.littleEndianBytes(values)
        case .int64(let values): tensor.rawData = OnnxGraphBuilder.littleEndianBytes(values)
        }
        return tensor
    }

    /// Reads a float or int64 tensor stored as raw data or in its typed field.
    public init(proto: Onnx_TensorProto) throws {
        let shape = proto.dims.map(Int.init)
        let count = shape.reduce(1, *)
        switch Int(proto.dataType) {
        case Onnx_TensorProto.DataType.float.rawValue:
            let values: [Float] = proto.hasRawData ? Self.decode(proto.rawData, count: count) : proto.floatData
            try self.init(name: proto.name, shape: shape, elements: .float(values))
        case Onnx_TensorProto.DataType.int64.rawValue:
            let values: [Int64] = proto.hasRawData ? Self.decode(proto.rawData, count: count) : proto.int64Data
            try self.init(name: proto.name, shape: shape, elements: .int64(values))
        default:
            throw HwnasError("tensor '\(proto.name)': element type \(proto.dataType) is neither float nor int64")
        }
    }

    private static func decode<T: FixedWidthInteger>(_ data: Data, count: Int) -> [T] {
        guard data.count == count * MemoryLayout<T>.size else { return [] }
        return data.withUnsafeBytes { raw in (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) } }
    }

    private static func decode(_ data: Data, count: Int) -> [Float] {
        let bits: [UInt32] = decode(data, count: count)
        return bits.map(Float.init(bitPattern:))
    }
}
