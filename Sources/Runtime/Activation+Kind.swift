import Kernels
import SuperNet

extension Activation {
    /// The kernel that applies a block description's activation (the two enums share their
    /// cases and raw values: SuperNet names, Kernels computes).
    public init(_ kind: ActivationKind) {
        switch kind {
        case .identity: self = .identity
        case .relu: self = .relu
        case .relu6: self = .relu6
        case .hardSwish: self = .hardSwish
        case .hardSigmoid: self = .hardSigmoid
        case .tanh: self = .tanh
        case .gelu: self = .gelu
        }
    }
}
