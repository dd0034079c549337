/// The shape of a block's input or output, as the key of a cost table names it.
public enum TensorShape: Hashable, Sendable, CustomStringConvertible {
    /// A feature map: height x width x channels (NHWC, batch left out).
    case image(height: Int, width: Int, channels: Int)
    /// A sequence of vectors: tokens x features.
    case sequence(length: Int, features: Int)
    /// A flat vector.
    case vector(Int)

    public var description: String {
        switch self {
        case .image(let h, let w, let c): "\(h)x\(w)x\(c)"
        case .sequence(let n, let d): "\(n)x\(d)"
        case .vector(let n): "\(n)"
        }
    }

    /// Elements per sample.
    public var count: Int {
        switch self {
        case .image(let h, let w, let c): h * w * c
        case .sequence(let n, let d): n * d
        case .vector(let n): n
        }
    }
}
