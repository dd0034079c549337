/// The activation functions of the search spaces.
public enum Activation: String, Codable, Hashable, Sendable {
    case relu
    case hswish
    case gelu
    case tanh
    case none
}
