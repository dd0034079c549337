import OnnxSchema

/// The element types hwnas's models take and give: float activations and int64 token ids.
public enum OnnxElementType: String, Sendable, Codable {
    case float
    case int64

    /// `TensorProto.DataType`'s number.
    var dataType: Int32 {
        switch self {
        case .float: Int32(Onnx_TensorProto.DataType.float.rawValue)
        case .int64: Int32(Onnx_TensorProto.DataType.int64.rawValue)
        }
    }
}
