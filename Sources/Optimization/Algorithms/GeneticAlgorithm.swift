import Support

/// The generational loop of a genetic algorithm over operators it is handed (pymoo's
/// `GeneticAlgorithm`): sample a population, then each generation select parents, cross them
/// over, mutate the children, drop duplicates and let the survivors of parents and offspring
/// make the next population. `NSGA2` assembles it from NSGA-II's operators.
struct GeneticAlgorithm {
    /// An existential, not a generic parameter: the loop is then compiled once, fully
    /// optimised, whatever module calls it (an evaluation costs far more than the dispatch).
    let problem: any OptimizationProblem
    /// Individuals kept from generation to generation, and offspring made per generation.
    let populationSize: Int
    /// Generations, the initial population counting as the first.
    let generations: Int
    let sampling: UniformSampling
    let selection: TournamentSelection
    let crossover: SimulatedBinaryCrossover
    let mutation: PolynomialMutation
    var duplicates: DuplicateElimination
    let survival: RankAndCrowdingSurvival
    var generator: SeededGenerator

    /// The population and room for as many offspring.
    var population: Population
    /// Children of one round of matings, before duplicate elimination.
    var children: FlatBuffer<Double>
    var evaluations = 0
    var bestInfeasible: Individual?
    var history: [[[Double]]] = []

    init(problem: any OptimizationProblem, populationSize: Int, generations: Int, seed: UInt64,
         sampling: UniformSampling, selection: TournamentSelection, crossover: SimulatedBinaryCrossover,
         mutation: PolynomialMutation, eliminatesDuplicates: Bool, survival: RankAndCrowdingSurvival) {
        self.problem = problem
        self.populationSize = populationSize
        self.generations = generations
        self.sampling = sampling
        self.selection = selection
        self.crossover = crossover
        self.mutation = mutation
        self.survival = survival
        generator = SeededGenerator(seed: seed)
        let genomeLength = problem.genes.count
        // The population and as many offspring.
        let rows = 2 * populationSize
        population = Population(rows: rows, genomeLength: genomeLength, objectivesCount: problem.objectivesCount)
        // Matings come in pairs: one child more than the population when it is odd.
        children = FlatBuffer(count: (populationSize + 1) * genomeLength, repeating: 0)
        duplicates = DuplicateElimination(enabled: eliminatesDuplicates, genomeLength: genomeLength, capacity: rows)
        history.reserveCapacity(generations)
    }

    mutating func run(progress: ((SearchProgress) -> Void)?) -> SearchResult {
        initialize()
        var front = survival.survive(&population, total: population.count, keeping: population.count, using: &generator)
        report(front, generation: 1, progress: progress)
        var generation = 1
        while generation < generations {
            let made = makeOffspring(populationSize)
            // Nothing new can be made: pymoo stops here too.
            if made == 0 { break }
            for row in population.count..<(population.count + made) { evaluate(row: row) }
            front = survival.survive(&population, total: population.count + made, keeping: populationSize, using: &generator)
            generation += 1
            report(front, generation: generation, progress: progress)
        }
        return result(front)
    }

    // MARK: - Initial population

    /// `populationSize` distinct uniform genomes (fewer only if the space is that small).
    mutating func initialize() {
        let n = population.genomeLength, target = populationSize, base = population.genomes.base
        duplicates.removeAll()
        var attempts = 0
        while population.count < target && attempts < 100 * target {
            sampling.sample(into: base + population.count * n, using: &generator)
            if duplicates.admits(row: population.count, of: base) { population.count += 1 }
            attempts += 1
        }
        for row in 0..<population.count { evaluate(row: row) }
    }

    // MARK: - Evaluation

    mutating func evaluate(row: Int) {
        let n = population.genomeLength, m = population.objectivesCount
        let genome = Array(UnsafeBufferPointer(start: population.genomes.base + row * n, count: n))
        let evaluation = problem.evaluate(genome)
        precondition(evaluation.objectives.count == m, "the problem returned \(evaluation.objectives.count) objectives, not \(m)")
        for k in 0..<m { population.objectives.base[row * m + k] = evaluation.objectives[k] }
        let violation = evaluation.violation > 0 ? evaluation.violation : 0
        population.violations.base[row] = violation
        evaluations += 1
        if violation > 0 && violation < (bestInfeasible?.evaluation.violation ?? .infinity) {
            bestInfeasible = Individual(genome: genome, evaluation: evaluation)
        }
    }

    // MARK: - Mating

    /// Appends up to `wanted` new offspring after the population and returns how many it made:
    /// rounds of selection, crossover and mutation until enough are free of duplicates, at most
    /// 100 rounds (pymoo's limit).
    mutating func makeOffspring(_ wanted: Int) -> Int {
        let n = population.genomeLength, count = population.count, base = population.genomes.base, kids = children.base
        var made = 0, rounds = 0
        duplicates.remember(population: count, of: base)
        while made < wanted && rounds < 100 {
            rounds += 1
            let matings = (wanted - made + 1) / 2
            let parents = selection.select(matings * 2, from: population, using: &generator)
            // Children in pymoo's order: every mating's first child, then every second child.
            for j in 0..<matings {
                crossover.crossover(base + parents[2 * j] * n, base + parents[2 * j + 1] * n,
                                    into: kids + j * n, kids + (matings + j) * n, using: &generator)
            }
            for c in 0..<(2 * matings) { mutation.mutate(kids + c * n, using: &generator) }
            for c in 0..<(2 * matings) where made < wanted {
                let row = count + made
                (base + row * n).update(from: kids + c * n, count: n)
                if duplicates.admits(row: row, of: base) { made += 1 }
            }
        }
        return made
    }

    // MARK: - Results

    mutating func report(_ front: [Int], generation: Int, progress: ((SearchProgress) -> Void)?) {
        let rows = population.distinct(front)
        history.append(rows.map(population.objectiveVector))
        progress?(SearchProgress(generation: generation, generations: generations, evaluations: evaluations,
                                 frontSize: rows.count))
    }

    func result(_ front: [Int]) -> SearchResult {
        SearchResult(population: (0..<population.count).map(population.individual),
                     front: population.distinct(front).map(population.individual),
                     frontHistory: history, evaluations: evaluations, bestInfeasible: bestInfeasible)
    }
}
