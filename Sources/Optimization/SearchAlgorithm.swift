/// How a device search explores the space.
public enum SearchAlgorithm: String, CaseIterable, Codable, Sendable {
    /// NSGA-II (Deb et al. 2002).
    case nsga2
    /// Uniform random genomes with the same number of evaluations: the baseline NSGA-II must beat.
    case random

    public var title: String {
        switch self {
        case .nsga2: "NSGA-II"
        case .random: "random search"
        }
    }
}
