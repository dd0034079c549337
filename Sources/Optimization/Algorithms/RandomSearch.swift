import Support

/// The baseline every optimiser must beat: uniform random genomes, the same budget, and an
/// archive of the feasible non-dominated ones.
///
/// Genomes are drawn as NSGA-II draws its initial population (choice genes uniform over their
/// indices, real genes uniform in their bounds) in batches of `batch`, so that its history has
/// one entry per batch, comparable with NSGA-II's one per generation of the same size. Repeated
/// genomes are evaluated again, as independent draws are; the archive keeps one individual per
/// objective vector.
public struct RandomSearch: Optimizer {
    /// Genomes to evaluate.
    public var evaluations: Int
    /// Genomes per batch (one history entry and one progress report per batch).
    public var batch: Int
    public var seed: UInt64

    public init(evaluations: Int, batch: Int = 100, seed: UInt64 = 1) {
        self.evaluations = evaluations
        self.batch = batch
        self.seed = seed
    }

    /// The baseline for an NSGA-II run of `settings`: its budget, its population as the batch.
    public init(matching settings: NSGA2Settings) {
        self.init(evaluations: settings.evaluations, batch: settings.population, seed: settings.seed)
    }

    public var title: String { "random search" }

    public func run(_ problem: some OptimizationProblem, progress: ((SearchProgress) -> Void)? = nil) throws -> SearchResult {
        if evaluations < 1 { throw HwnasError("random search needs at least one evaluation, not \(evaluations)") }
        if batch < 1 { throw HwnasError("random search batches must hold at least one genome, not \(batch)") }
        try problem.checkDomains()
        let bounds = GeneBounds(problem.genes)
        let sampling = UniformSampling(bounds: bounds)
        var generator = SeededGenerator(seed: seed)
        var archive = ParetoArchive()
        var history: [[[Double]]] = []
        var bestInfeasible: Individual?
        var genome = [Double](repeating: 0, count: bounds.count)
        let batches = (evaluations + batch - 1) / batch
        var done = 0
        for b in 0..<batches {
            for _ in 0..<min(batch, evaluations - done) {
                genome.withUnsafeMutableBufferPointer { sampling.sample(into: $0.baseAddress!, using: &generator) }
                let evaluation = problem.evaluate(genome)
                precondition(evaluation.objectives.count == problem.objectivesCount,
                             "the problem returned \(evaluation.objectives.count) objectives, not \(problem.objectivesCount)")
                done += 1
                if evaluation.isFeasible {
                    archive.insert(Individual(genome: genome, evaluation: evaluation))
                } else if evaluation.violation < (bestInfeasible?.evaluation.violation ?? .infinity) {
                    bestInfeasible = Individual(genome: genome, evaluation: evaluation)
                }
            }
            let front = archive.sorted
            history.append(front.map(\.evaluation.objectives))
            progress?(SearchProgress(generation: b + 1, generations: batches, evaluations: done, frontSize: front.count))
        }
        let front = archive.sorted
        return SearchResult(population: front, front: front, frontHistory: history, evaluations: done,
                            bestInfeasible: bestInfeasible)
    }
}
