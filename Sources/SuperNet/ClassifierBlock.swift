/// The final linear layer (with bias); for ViT preceded by the last layer norm on the class token.
public struct ClassifierBlock: BlockConfiguration {
    public var inputs: Int
    public var classes: Int
    /// ViT: layer norm of the class token first (the input is then the whole token sequence).
    public var sequenceBeforeNorm: Int?

    public init(inputs: Int, classes: Int, sequenceBeforeNorm: Int? = nil) {
        self.inputs = inputs
        self.classes = classes
        self.sequenceBeforeNorm = sequenceBeforeNorm
    }

    /// The epsilon of the layer norm before a ViT classifier.
    public var normEpsilon: Float { 1e-6 }

    public var key: String {
        if let sequence = sequenceBeforeNorm {
            return "classifier-seq:\(sequence)-in:\(inputs)-out:\(classes)-norm:layer"
        }
        return "classifier-in:\(inputs)-out:\(classes)"
    }
    public var input: TensorShape {
        sequenceBeforeNorm.map { .sequence(length: $0, features: inputs) } ?? .vector(inputs)
    }
    public var output: TensorShape { .vector(classes) }
    public var macs: Int { inputs * classes }
    public var params: Int { inputs * classes + classes + (sequenceBeforeNorm == nil ? 0 : 2 * inputs) }
}
