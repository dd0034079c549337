/// The name of an optimiser, as the command line and the settings give it.
public enum SearchAlgorithm: String, CaseIterable, Codable, Sendable {
    /// NSGA-II (Deb et al. 2002).
    case nsga2
    /// Uniform random genomes with the same number of evaluations: the baseline NSGA-II must beat.
    case random

    /// The optimiser of this name with the budget of an NSGA-II run of `settings`.
    public func optimizer(_ settings: NSGA2Settings) -> any Optimizer {
        switch self {
        case .nsga2: NSGA2(settings: settings)
        case .random: RandomSearch(matching: settings)
        }
    }

    public var title: String { optimizer(NSGA2Settings()).title }
}
