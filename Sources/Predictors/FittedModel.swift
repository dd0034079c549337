/// A fitted model of one of the families `PredictorKind` names.
public enum FittedModel: Sendable {
    case ridge(RidgeRegression)
    case kernelRidge(KernelRidgeRegression)

    public var kind: PredictorKind {
        switch self {
        case .ridge: .ridge
        case .kernelRidge: .kernelRidge
        }
    }

    public func predict(hotColumns: [Int32]) -> Double {
        switch self {
        case .ridge(let model): model.predict(hotColumns: hotColumns)
        case .kernelRidge(let model): model.predict(hotColumns: hotColumns)
        }
    }
}
