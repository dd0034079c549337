import SuperNet

/// A tensor inside a graph being built: its name and what its axes are. Batch is always the
/// first axis; images are NCHW, as ONNX's convolutions take them.
public struct OnnxValue: Hashable, Sendable {
    public enum Layout: Hashable, Sendable {
        /// [N, channels, height, width].
        case image(channels: Int, height: Int, width: Int)
        /// [N, length, features].
        case sequence(length: OnnxDimension, features: Int)
        /// [N, features].
        case vector(Int)
        /// [N, length] token ids (int64).
        case tokens(length: OnnxDimension)
    }

    public var name: String
    public var layout: Layout

    public init(name: String, layout: Layout) {
        self.name = name
        self.layout = layout
    }

    /// The layout of a block's input or output as ONNX holds it (a block description's NHWC
    /// image becomes NCHW; a 1x1 map stays four-dimensional, as in an exported network).
    public static func layout(of shape: TensorShape, sequence: OnnxDimension? = nil) -> Layout {
        switch shape {
        case .image(let h, let w, let c): .image(channels: c, height: h, width: w)
        case .sequence(let n, let d): .sequence(length: sequence ?? .fixed(n), features: d)
        case .vector(let n): .vector(n)
        }
    }

    /// The extents of a layout for a batch.
    public static func dimensions(of layout: Layout, batch: OnnxDimension) -> [OnnxDimension] {
        switch layout {
        case .image(let c, let h, let w): [batch, .fixed(c), .fixed(h), .fixed(w)]
        case .sequence(let n, let d): [batch, n, .fixed(d)]
        case .vector(let n): [batch, .fixed(n)]
        case .tokens(let n): [batch, n]
        }
    }
}
