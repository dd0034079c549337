/// How a predictor is fitted: the folds, the seed of the split and the hyper-parameter grids.
///
/// The grids are small on purpose: DyNAS-T's ridge range (alpha 0.1 to 10), and for the kernel a
/// width around the data's own distance scale and penalties from "interpolate the repeated
/// measurements" to "smooth over them".
public struct PredictorSettings: Codable, Equatable, Sendable {
    /// Outer folds; the hyper-parameters of each outer fold are chosen on the other `folds - 1`.
    public var folds: Int
    public var seed: UInt64
    /// The model families to compare.
    public var kinds: [PredictorKind]
    public var ridgeAlphas: [Double]
    public var kernelGammaScales: [Double]
    public var kernelLambdas: [Double]

    public init(folds: Int = 5, seed: UInt64 = 1, kinds: [PredictorKind] = PredictorKind.allCases,
                ridgeAlphas: [Double] = [0.1, 0.3, 1, 3, 10],
                kernelGammaScales: [Double] = [0.25, 0.5, 1, 2],
                kernelLambdas: [Double] = [0.003, 0.01, 0.03, 0.1]) {
        self.folds = folds
        self.seed = seed
        self.kinds = kinds
        self.ridgeAlphas = ridgeAlphas
        self.kernelGammaScales = kernelGammaScales
        self.kernelLambdas = kernelLambdas
    }

    /// The grid searched for one model family.
    public func grid(for kind: PredictorKind) -> [HyperParameters] {
        switch kind {
        case .ridge:
            ridgeAlphas.map { HyperParameters(alpha: $0) }
        case .kernelRidge:
            kernelGammaScales.flatMap { scale in kernelLambdas.map { HyperParameters(gammaScale: scale, lambda: $0) } }
        }
    }
}
