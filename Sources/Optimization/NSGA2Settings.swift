import Support

/// The settings of an NSGA-II run. The defaults are pymoo 0.6's `NSGA2()` with
/// `eliminate_duplicates=True`, so that results compare with it.
public struct NSGA2Settings: Hashable, Sendable, Codable {
    /// Individuals kept from generation to generation, and offspring made per generation.
    public var population: Int
    /// Generations, the initial population counting as the first (pymoo's `('n_gen', G)`):
    /// the run evaluates `population * generations` genomes.
    public var generations: Int
    public var seed: UInt64

    /// Probability that a mating crosses its parents over (else the children copy them).
    public var crossoverProbability = 0.9
    /// Probability that SBX touches a given real gene of a crossed mating (pymoo's `prob_var`).
    public var crossoverGeneProbability = 0.5
    /// SBX distribution index: larger keeps children closer to their parents.
    public var crossoverEta = 15.0
    /// Probability that a child is mutated at all (pymoo's `PM(prob=0.9)`).
    public var mutationProbability = 0.9
    /// Probability that a gene of a mutated child changes; `nil`: `min(0.5, 1 / genes)`.
    public var mutationGeneProbability: Double?
    /// Polynomial mutation distribution index.
    public var mutationEta = 20.0
    /// How a binary tournament between two feasible individuals is decided.
    public var tournament = Tournament.dominanceThenCrowding
    /// Drop offspring equal to a population member or to an earlier offspring, and make others
    /// in their place (pymoo's `eliminate_duplicates=True`).
    public var eliminatesDuplicates = true

    /// Binary tournament rules. Between an infeasible individual and any other, the smaller
    /// violation always wins; these decide between two feasible ones, ties going either way at
    /// random.
    public enum Tournament: String, Hashable, Sendable, Codable, CaseIterable {
        /// Pareto dominance, then the larger crowding distance (pymoo's NSGA2 default,
        /// `comp_by_dom_and_crowding`).
        case dominanceThenCrowding
        /// Front rank, then the larger crowding distance: Deb's crowded-comparison operator
        /// (pymoo's `comp_by_rank_and_crowding`).
        case rankThenCrowding
    }

    public init(population: Int = 100, generations: Int = 200, seed: UInt64 = 1) {
        self.population = population
        self.generations = generations
        self.seed = seed
    }

    /// Genomes a full run evaluates.
    public var evaluations: Int { population * generations }

    /// The memory a run holds at its peak, in bytes, at worst: per individual of the population
    /// and its offspring, genomes and objectives twice (survival swaps buffers), the children of
    /// a round of matings, the duplicate table and the result; per generation, a front as large as
    /// the population (kept for the hypervolume history). In floating point, so that any
    /// setting can be estimated without overflow.
    public func peakBytes(genomeLength: Int, objectivesCount: Int) -> Double {
        let genes = Double(genomeLength), objectives = Double(objectivesCount)
        let perIndividual = 48 * genes + 40 * objectives + 224
        let perFrontPoint = 8 * objectives + 40
        return Double(population) * perIndividual + Double(generations) * (24 + Double(population) * perFrontPoint)
    }

    /// The largest population whose run fits in `memoryBytes` at these generations.
    public func largestPopulation(genomeLength: Int, objectivesCount: Int, memoryBytes: Double) -> Int {
        let genes = Double(genomeLength), objectives = Double(objectivesCount)
        let perIndividual = 48 * genes + 40 * objectives + 224 + Double(generations) * (8 * objectives + 40)
        let largest = (memoryBytes - 24 * Double(generations)) / perIndividual
        return largest < 1 ? 0 : Int(min(largest, Double(Int.max / 2)))
    }

    /// Refuses settings no run can use, naming the setting.
    public func validate() throws {
        if population < 4 { throw HwnasError("population must be at least 4, not \(population)") }
        if generations < 1 { throw HwnasError("generations must be at least 1, not \(generations)") }
        for (name, p) in [("crossover probability", crossoverProbability), ("crossover gene probability", crossoverGeneProbability),
                          ("mutation probability", mutationProbability), ("mutation gene probability", mutationGeneProbability ?? 0)]
        where !(0...1).contains(p) {
            throw HwnasError("\(name) must be within 0...1, not \(p)")
        }
        if !(crossoverEta > 0) || !(mutationEta > 0) {
            throw HwnasError("distribution indices must be positive (crossover \(crossoverEta), mutation \(mutationEta))")
        }
    }
}
