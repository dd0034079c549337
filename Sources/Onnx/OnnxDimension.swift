/// One extent of a graph input or output: a number, or a name the runtime binds at run time
/// (`batch`, `sequence`), as exporters mark dynamic axes.
public enum OnnxDimension: Hashable, Sendable, CustomStringConvertible {
    case fixed(Int)
    case symbolic(String)

    public var description: String {
        switch self {
        case .fixed(let n): "\(n)"
        case .symbolic(let name): name
        }
    }

    /// The number, when fixed.
    public var value: Int? {
        if case .fixed(let n) = self { return n }
        return nil
    }
}
