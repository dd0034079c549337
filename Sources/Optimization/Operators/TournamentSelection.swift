import Support

/// Binary tournaments, the contestants drawn from random permutations of the population as
/// pymoo's `TournamentSelection` draws them. Between an infeasible individual and any other the
/// smaller violation wins (constrained domination); `rule` decides between two feasible ones,
/// ties going either way at random.
struct TournamentSelection {
    var rule: NSGA2Settings.Tournament

    /// Rows of the winners of `winners` tournaments among the population's rows.
    func select(_ winners: Int, from population: Population, using generator: inout SeededGenerator) -> [Int] {
        let count = population.count
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
            result[t] = tournament(contestants[2 * t], contestants[2 * t + 1], in: population, using: &generator)
        }
        return result
    }

    @inline(__always)
    func tournament(_ a: Int, _ b: Int, in population: Population, using generator: inout SeededGenerator) -> Int {
        let va = population.violations.base[a], vb = population.violations.base[b]
        let base = population.objectives.base, objectivesCount = population.objectivesCount
        if va > 0 || vb > 0 {
            return va < vb ? a : vb < va ? b : randomOf(a, b, using: &generator)
        }
        switch rule {
        case .dominanceThenCrowding:
            switch DominanceRelation.pareto(base + a * objectivesCount, base + b * objectivesCount, count: objectivesCount) {
            case .dominates: return a
            case .dominated: return b
            case .incomparable: break
            }
        case .rankThenCrowding:
            let ra = population.ranks.base[a], rb = population.ranks.base[b]
            if ra != rb { return ra < rb ? a : b }
        }
        let ca = population.crowding.base[a], cb = population.crowding.base[b]
        return ca > cb ? a : cb > ca ? b : randomOf(a, b, using: &generator)
    }

    @inline(__always)
    func randomOf(_ a: Int, _ b: Int, using generator: inout SeededGenerator) -> Int {
        generator.next() & 1 == 0 ? a : b
    }
}
