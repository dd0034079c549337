import OnnxSchema

/// A node attribute: an integer, a float or a list of integers (all hwnas's operators need).
public enum OnnxAttribute: Sendable {
    case int(String, Int)
    case float(String, Float)
    case ints(String, [Int])

    var proto: Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        switch self {
        case .int(let name, let value):
            attribute.name = name
            attribute.type = .int
            attribute.i = Int64(value)
        case .float(let name, let value):
            attribute.name = name
            attribute.type = .float
            attribute.f = value
        case .ints(let name, let values):
            attribute.name = name
            attribute.type = .ints
            attribute.ints = values.map(Int64.init)
        }
        return attribute
    }
}
