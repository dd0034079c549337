/// The hyper-parameters of one candidate model: `alpha` for ridge, `gammaScale` and `lambda`
/// for kernel ridge.
public struct HyperParameters: Codable, Hashable, Sendable {
    /// Ridge penalty on the coefficients.
    public var alpha: Double?
    /// RBF width relative to the data: `γ = gammaScale / mean squared distance between training
    /// rows`, so that one grid suits spaces with few or many slots.
    public var gammaScale: Double?
    /// Kernel ridge penalty (the noise variance of the equivalent Gaussian process).
    public var lambda: Double?

    public init(alpha: Double? = nil, gammaScale: Double? = nil, lambda: Double? = nil) {
        self.alpha = alpha
        self.gammaScale = gammaScale
        self.lambda = lambda
    }

    public var summary: String {
        var parts: [String] = []
        if let alpha { parts.append("alpha \(Self.format(alpha))") }
        if let gammaScale { parts.append("gamma scale \(Self.format(gammaScale))") }
        if let lambda { parts.append("lambda \(Self.format(lambda))") }
        return parts.joined(separator: ", ")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : "\(value)"
    }
}
