import Foundation
import OnnxSchema
import Support

/// A graph under construction: nodes in order, initialisers, fresh names. Block builders
/// (`appendBlock`) add to it; `OnnxModel` wraps the result with its inputs and outputs.
///
/// Weights become initialisers in ONNX's layouts (what deployment exporters write, and what
/// lets ONNX Runtime pre-pack them); small constants are initialisers too.
public struct OnnxGraphBuilder {
    public internal(set) var nodes: [Onnx_NodeProto] = []
    public private(set) var initializers: [Onnx_TensorProto] = []
    private var used: [String: Int] = [:]

    public init() {}

    /// A name not used before, from `hint` (`hint`, then `hint_1`, `hint_2`, ...).
    public mutating func fresh(_ hint: String) -> String {
        let count = used[hint, default: 0]
        used[hint] = count + 1
        return count == 0 ? hint : "\(hint)_\(count)"
    }

    /// Reserves a name given from outside (a graph input or output), so no node takes it.
    public mutating func reserve(_ name: String) {
        used[name, default: 0] += 1
    }

    /// A float initialiser named after `hint`.
    public mutating func initializer(_ hint: String, _ tensor: PlainTensor) -> String {
        let name = fresh(hint)
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dims = tensor.shape.map(Int64.init)
        proto.dataType = OnnxElementType.float.dataType
        proto.rawData = Self.littleEndianBytes(tensor.values)
        initializers.append(proto)
        return name
    }

    /// A float constant of any shape ([] for a scalar).
    public mutating func constant(_ hint: String, _ values: [Float], shape: [Int] = []) -> String {
        initializer(hint, try! PlainTensor(shape: shape, values: values))
    }

    /// An int64 constant, 1-D unless `shape` says otherwise.
    public mutating func constant(_ hint: String, int64 values: [Int64], shape: [Int]? = nil) -> String {
        let name = fresh(hint)
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dims = (shape ?? [values.count]).map(Int64.init)
        proto.dataType = OnnxElementType.int64.dataType
        proto.rawData = Self.littleEndianBytes(values)
        initializers.append(proto)
        return name
    }

    /// Appends a node of the default domain; returns its output's name (`output`, or a fresh
    /// one from `hint`, else from the operator's name).
    @discardableResult
    public mutating func node(_ operator: String, _ inputs: [String], _ attributes: [OnnxAttribute] = [],
                              hint: String? = nil, output: String? = nil) -> String {
        let out = output ?? fresh(hint ?? `operator`.lowercased())
        var node = Onnx_NodeProto()
        node.opType = `operator`
        node.name = fresh("node_" + (hint ?? `operator`.lowercased()))
        node.input = inputs
        node.output = [out]
        node.attribute = attributes.map(\.proto)
        nodes.append(node)
        return out
    }

    /// Gives the value `old` (a node's output) the name `new`, wherever it is used.
    mutating func rename(_ old: String, to new: String) {
        for index in nodes.indices {
            nodes[index].output = nodes[index].output.map { $0 == old ? new : $0 }
            nodes[index].input = nodes[index].input.map { $0 == old ? new : $0 }
        }
    }

    /// The values' bytes in little-endian order, as `raw_data` holds them.
    static func littleEndianBytes(_ values: [Float]) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        return littleEndianBytes(values.map(\.bitPattern))
        #endif
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        return values.map(\.littleEndian).withUnsafeBytes { Data($0) }
        #endif
    }
}
