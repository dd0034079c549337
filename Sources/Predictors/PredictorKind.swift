/// The model families `hwnas predictor` chooses between by cross-validated MAPE.
public enum PredictorKind: String, Codable, CaseIterable, Sendable {
    /// DyNAS-T's linear choice: ridge regression on the one-hot features.
    case ridge
    /// Kernel ridge regression with an RBF kernel on the same features.
    case kernelRidge = "kernel-ridge-rbf"

    public var summary: String {
        switch self {
        case .ridge: "ridge regression"
        case .kernelRidge: "kernel ridge regression, RBF kernel"
        }
    }
}
