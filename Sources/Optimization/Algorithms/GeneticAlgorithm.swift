import Support

/// The state of one NSGA-II run, kept in flat buffers sized once, so that a generation
/// allocates only its per-front index lists.
///
/// Rows `0..<count` of the buffers hold the population; offspring are appended after them, and
/// survival compacts the chosen rows back to the front.
struct NSGA2Engine {
    /// An existential, not a generic parameter: the engine is then compiled once, fully
    /// optimised, whatever module calls it (an evaluation costs far more than the dispatch).
    let problem: any OptimizationProblem
    let settings: NSGA2Settings
    let genomeLength: Int
    let objectivesCount: Int
    let bounds: GeneBounds
    let variation: Variation
    var generator: SeededGenerator

    /// Rows of `genomeLength` genes, of `objectivesCount` objectives, and one violation, rank
    /// and crowding distance per row; room for the population and its offspring.
    var genomes: FlatBuffer<Double>
    var objectives: FlatBuffer<Double>
    var violations: FlatBuffer<Double>
    let ranks: FlatBuffer<Int>
    let crowding: FlatBuffer<Double>
    /// Survival gathers the survivors here, then swaps them with the buffers above.
    var spareGenomes: FlatBuffer<Double>
    var spareObjectives: FlatBuffer<Double>
    var spareViolations: FlatBuffer<Double>
    /// Children of one round of matings, before duplicate elimination.
    var children: FlatBuffer<Double>
    /// Rows holding the population.
    var count = 0
    var table: GenomeTable
    var evaluations = 0
    var bestInfeasible: Individual?
    var history: [[[Double]]] = []

    init(problem: any OptimizationProblem, settings: NSGA2Settings) {
        self.problem = problem
        self.settings = settings
        genomeLength = problem.genes.count
        objectivesCount = problem.objectivesCount
        bounds = GeneBounds(problem.genes)
        variation = Variation(settings: settings, bounds: bounds)
        generator = SeededGenerator(seed: settings.seed)
        // The population and as many offspring.
        let rows = 2 * settings.population
        genomes = FlatBuffer(count: rows * genomeLength, repeating: 0)
        objectives = FlatBuffer(count: rows * objectivesCount, repeating: 0)
        violations = FlatBuffer(count: rows, repeating: 0)
        ranks = FlatBuffer(count: rows, repeating: 0)
        crowding = FlatBuffer(count: rows, repeating: 0)
        spareGenomes = FlatBuffer(count: rows * genomeLength, repeating: 0)
        spareObjectives = FlatBuffer(count: rows * objectivesCount, repeating: 0)
        spareViolations = FlatBuffer(count: rows, repeating: 0)
        // Matings come in pairs: one child more than the population when it is odd.
        children = FlatBuffer(count: (settings.population + 1) * genomeLength, repeating: 0)
        table = GenomeTable(length: genomeLength, capacity: rows)
        history.reserveCapacity(settings.generations)
    }

    mutating func run(progress: ((SearchProgress) -> Void)?) -> SearchResult {
        initialize()
        var front = survive(total: count, keeping: count)
        report(front, generation: 1, progress: progress)
        var generation = 1
        while generation < settings.generations {
            let made = makeOffspring(settings.population)
            // Nothing new can be made: pymoo stops here too.
            if made == 0 { break }
            for row in count..<(count + made) { evaluate(row: row) }
            front = survive(total: count + made, keeping: settings.population)
            generation += 1
            report(front, generation: generation, progress: progress)
        }
        return result(front)
    }

    // MARK: - Initial population

    /// `population` distinct uniform genomes (fewer only if the space is that small).
    mutating func initialize() {
        let n = genomeLength, target = settings.population, base = genomes.base
        table.removeAll()
        var attempts = 0
        while count < target && attempts < 100 * target {
            bounds.sample(into: base + count * n, using: &generator)
            if !settings.eliminatesDuplicates || table.insert(row: count, of: base) { count += 1 }
            attempts += 1
        }
        for row in 0..<count { evaluate(row: row) }
    }

    // MARK: - Evaluation

    mutating func evaluate(row: Int) {
        let n = genomeLength, m = objectivesCount
        let genome = Array(UnsafeBufferPointer(start: genomes.base + row * n, count: n))
        let evaluation = problem.evaluate(genome)
        precondition(evaluation.objectives.count == m, "the problem returned \(evaluation.objectives.count) objectives, not \(m)")
        for k in 0..<m { objectives.base[row * m + k] = evaluation.objectives[k] }
        let violation = evaluation.violation > 0 ? evaluation.violation : 0
        violations.base[row] = violation
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
        let n = genomeLength, base = genomes.base, kids = children.base
        var made = 0, rounds = 0
        if settings.eliminatesDuplicates {
            table.removeAll()
            for row in 0..<count { _ = table.insert(row: row, of: base) }
        }
        while made < wanted && rounds < 100 {
            rounds += 1
            let matings = (wanted - made + 1) / 2
            let parents = selectParents(matings * 2)
            // Children in pymoo's order: every mating's first child, then every second child.
            for j in 0..<matings {
                variation.crossover(base + parents[2 * j] * n, base + parents[2 * j + 1] * n,
                                    into: kids + j * n, kids + (matings + j) * n, using: &generator)
            }
            for c in 0..<(2 * matings) { variation.mutate(kids + c * n, using: &generator) }
            for c in 0..<(2 * matings) where made < wanted {
                let row = count + made
                (base + row * n).update(from: kids + c * n, count: n)
                if !settings.eliminatesDuplicates || table.insert(row: row, of: base) { made += 1 }
            }
        }
        return made
    }

    /// Winners of `winners` binary tournaments, the contestants drawn from random permutations
    /// of the population as pymoo's `TournamentSelection` draws them.
    mutating func selectParents(_ winners: Int) -> [Int] {
        let contestantsNeeded = winners * 2
        var contestants: [Int] = []
        contestants.reserveCapacity(contestantsNeeded + count)
        while contestants.count < contestantsNeeded {
            var permutation = Array(0..<count)
            for i in stride(from: count - 1, to: 0, by: -1) {
                permutation.swapAt(i, generator.nextIndex(below: i + 1))
            }
            contestants.append(contentsOf: permutation)
        }
        var result = [Int](repeating: 0, count: winners)
        for t in 0..<winners {
            result[t] = tournament(contestants[2 * t], contestants[2 * t + 1])
        }
        return result
    }

    @inline(__always)
    mutating func tournament(_ a: Int, _ b: Int) -> Int {
        let va = violations.base[a], vb = violations.base[b], base = objectives.base
        if va > 0 || vb > 0 {
            return va < vb ? a : vb < va ? b : randomOf(a, b)
        }
        switch settings.tournament {
        case .dominanceThenCrowding:
            switch DominanceRelation.pareto(base + a * objectivesCount, base + b * objectivesCount, count: objectivesCount) {
            case .dominates: return a
            case .dominated: return b
            case .incomparable: break
            }
        case .rankThenCrowding:
            let ra = ranks.base[a], rb = ranks.base[b]
            if ra != rb { return ra < rb ? a : b }
        }
        let ca = crowding.base[a], cb = crowding.base[b]
        return ca > cb ? a : cb > ca ? b : randomOf(a, b)
    }

    @inline(__always)
    mutating func randomOf(_ a: Int, _ b: Int) -> Int {
        generator.next() & 1 == 0 ? a : b
    }

    // MARK: - Survival

    /// Keeps the best `keeping` of rows `0..<total` in rows `0..<keeping`, with their rank and
    /// crowding distance; returns the new rows of the surviving first front, in lexicographic
    /// order of their objectives.
    mutating func survive(total: Int, keeping: Int) -> [Int] {
        var feasible: [Int] = [], infeasible: [Int] = []
        feasible.reserveCapacity(total)
        for row in 0..<total {
            if violations.base[row] > 0 { infeasible.append(row) } else { feasible.append(row) }
        }
        var survivors: [Int] = []
        survivors.reserveCapacity(keeping)
        var firstFront: [Int] = []
        if !feasible.isEmpty {
            let fronts = NondominatedSort.fronts(objectives.base, columns: objectivesCount, of: feasible)
            var distances = [Double](repeating: 0, count: fronts.map(\.count).max() ?? 0)
            for (rank, front) in fronts.enumerated() where survivors.count < keeping {
                distances.withUnsafeMutableBufferPointer { d in
                    CrowdingDistance.compute(objectives.base, columns: objectivesCount, front: front, into: d.baseAddress!)
                }
                var chosen = Array(front.indices)
                if survivors.count + front.count > keeping {
                    // Most isolated first, ties in random order (pymoo's randomized argsort):
                    // shuffle, then sort by distance, ties by shuffled position.
                    for i in stride(from: chosen.count - 1, to: 0, by: -1) {
                        chosen.swapAt(i, generator.nextIndex(below: i + 1))
                    }
                    var keyed: [(distance: Double, position: Int, member: Int)] = chosen.enumerated().map { (distances[$1], $0, $1) }
                    keyed.sort { a, b in a.distance > b.distance || (a.distance == b.distance && a.position < b.position) }
                    chosen = keyed.prefix(keeping - survivors.count).map(\.member)
                }
                if rank == 0 {
                    // New rows of the first front's survivors, in the front's (lexicographic) order.
                    var position = [Int](repeating: -1, count: front.count)
                    for (i, j) in chosen.enumerated() { position[j] = i }
                    firstFront = position.filter { $0 >= 0 }
                }
                for j in chosen {
                    ranks.base[survivors.count] = rank
                    crowding.base[survivors.count] = distances[j]
                    survivors.append(front[j])
                }
            }
        }
        if survivors.count < keeping && !infeasible.isEmpty {
            // Smallest violation first, ties in row order.
            var keyed: [(violation: Double, row: Int)] = infeasible.map { (violations.base[$0], $0) }
            keyed.sort { a, b in a.violation < b.violation || (a.violation == b.violation && a.row < b.row) }
            let byViolation = keyed.map(\.row)
            for row in byViolation.prefix(keeping - survivors.count) {
                ranks.base[survivors.count] = Int.max
                crowding.base[survivors.count] = 0
                survivors.append(row)
            }
        }
        compact(survivors)
        return firstFront
    }

    /// Moves rows `rows` (in that order) to the front of the buffers.
    mutating func compact(_ rows: [Int]) {
        let n = genomeLength, m = objectivesCount
        for (i, row) in rows.enumerated() {
            (spareGenomes.base + i * n).update(from: genomes.base + row * n, count: n)
            (spareObjectives.base + i * m).update(from: objectives.base + row * m, count: m)
            spareViolations.base[i] = violations.base[row]
        }
        swap(&genomes, &spareGenomes)
        swap(&objectives, &spareObjectives)
        swap(&violations, &spareViolations)
        count = rows.count
    }

    // MARK: - Results

    /// The rows of `front` with distinct objective vectors (the front is in lexicographic order,
    /// so equal vectors are neighbours).
    func distinct(_ front: [Int]) -> [Int] {
        let m = objectivesCount, base = objectives.base
        var kept: [Int] = []
        kept.reserveCapacity(front.count)
        for row in front {
            if let last = kept.last, (0..<m).allSatisfy({ base[last * m + $0] == base[row * m + $0] }) { continue }
            kept.append(row)
        }
        return kept
    }

    func objectiveVector(_ row: Int) -> [Double] {
        Array(UnsafeBufferPointer(start: objectives.base + row * objectivesCount, count: objectivesCount))
    }

    mutating func report(_ front: [Int], generation: Int, progress: ((SearchProgress) -> Void)?) {
        let rows = distinct(front)
        history.append(rows.map(objectiveVector))
        progress?(SearchProgress(generation: generation, generations: settings.generations, evaluations: evaluations,
                                 frontSize: rows.count))
    }

    func individual(_ row: Int) -> Individual {
        Individual(genome: Array(UnsafeBufferPointer(start: genomes.base + row * genomeLength, count: genomeLength)),
                   evaluation: Evaluation(objectives: objectiveVector(row), violation: violations.base[row]))
    }

    func result(_ front: [Int]) -> SearchResult {
        SearchResult(population: (0..<count).map(individual), front: distinct(front).map(individual),
                     frontHistory: history, evaluations: evaluations, bestInfeasible: bestInfeasible)
    }
}
