import Kernels

extension Activation {
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
