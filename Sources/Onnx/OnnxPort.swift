import OnnxSchema

/// A graph input or output: name, element type and extents (fixed or named).
public struct OnnxPort: Hashable, Sendable {
    public var name: String
    public var elementType: OnnxElementType
    public var dimensions: [OnnxDimension]

    public init(name: String, elementType: OnnxElementType, dimensions: [OnnxDimension]) {
        self.name = name
        self.elementType = elementType
        self.dimensions = dimensions
    }

    var proto: Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = dimensions.map { dimension in
            var d = Onnx_TensorShapeProto.Dimension()
            switch dimension {
            case .fixed(let n): d.dimValue = Int64(n)
            case .symbolic(let name): d.dimParam = name
            }
            return d
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = elementType.dataType
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }
}
