/// The element-wise non-linearity a block description names. A description only: the runtime
/// maps it to the kernel that applies it, so SuperNet does not depend on any kernel code.
public enum ActivationKind: String, Sendable, Hashable, CaseIterable, Codable {
    case identity
    case relu
    case relu6
    /// h-swish, x·relu6(x + 3)/6 (MobileNetV3).
    case hardSwish
    /// h-sigmoid, relu6(x + 3)/6 (MobileNetV3 squeeze-excite gate).
    case hardSigmoid
    case tanh
    /// GELU in its exact erf form (BERT, ViT).
    case gelu

    /// The activation's spelling in cost-table keys (`act:hswish`), as Once-for-All's tables
    /// abbreviate it.
    public var keyName: String {
        switch self {
        case .identity: "none"
        case .relu: "relu"
        case .relu6: "relu6"
        case .hardSwish: "hswish"
        case .hardSigmoid: "hsigmoid"
        case .tanh: "tanh"
        case .gelu: "gelu"
        }
    }
}
