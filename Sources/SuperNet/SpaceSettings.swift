/// The input sizes a space is measured at: sequence length for transformers over text,
/// resolutions for image spaces with an elastic resolution.
public struct SpaceSettings: Codable, Hashable, Sendable {
    /// Tokens per sample (BERT); nil when the space fixes it.
    public var sequence: Int?
    /// Input resolutions (OFA MobileNetV3); nil when the space fixes it.
    public var resolutions: [Int]?

    public init(sequence: Int? = nil, resolutions: [Int]? = nil) {
        self.sequence = sequence
        self.resolutions = resolutions
    }
}
