/// NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002), run as pymoo 0.6 runs `NSGA2()` with
/// `eliminate_duplicates=True`, so that fronts and hypervolumes compare with it.
///
/// Each generation: binary tournaments pick parents (constrained domination first: the smaller
/// violation wins; between feasible ones, `NSGA2Settings.Tournament`), SBX and polynomial
/// mutation make `population` offspring (choice genes are crossed and mutated on their index,
/// then rounded back to a valid index, as pymoo and DyNAS-T do), offspring equal to
/// a population member or an earlier offspring are dropped and made again, and the best
/// `population` of parents and offspring survive: feasible ones by non-dominated front, the
/// front that does not fit whole by crowding distance (ties at random), then infeasible ones by
/// increasing violation. The initial population is uniform and free of duplicates, and counts
/// as the first generation, so a run evaluates `population * generations` genomes.
///
/// Deterministic for a seed: the same settings and problem give the same result everywhere.
///
/// The algorithm is its operators (in `Operators/`), assembled here as pymoo's `NSGA2` assembles
/// them, and run by `GeneticAlgorithm`.
public struct NSGA2: Optimizer {
    public var settings: NSGA2Settings

    public init(settings: NSGA2Settings = NSGA2Settings()) {
        self.settings = settings
    }

    public var title: String { "NSGA-II" }

    /// Runs the search on `problem`, calling `progress` after each generation.
    public func run(_ problem: some OptimizationProblem, progress: ((SearchProgress) -> Void)? = nil) throws -> SearchResult {
        try settings.validate()
        try problem.checkDomains()
        let bounds = GeneBounds(problem.genes)
        var algorithm = GeneticAlgorithm(
            problem: problem, populationSize: settings.population, generations: settings.generations, seed: settings.seed,
            sampling: UniformSampling(bounds: bounds),
            selection: TournamentSelection(rule: settings.tournament),
            crossover: SimulatedBinaryCrossover(bounds: bounds, probability: settings.crossoverProbability,
                                                geneProbability: settings.crossoverGeneProbability, eta: settings.crossoverEta),
            mutation: PolynomialMutation(bounds: bounds, probability: settings.mutationProbability,
                                         geneProbability: settings.mutationGeneProbability ?? min(0.5, 1 / Double(bounds.count)),
                                         eta: settings.mutationEta),
            eliminatesDuplicates: settings.eliminatesDuplicates,
            survival: RankAndCrowdingSurvival())
        return algorithm.run(progress: progress)
    }
}
