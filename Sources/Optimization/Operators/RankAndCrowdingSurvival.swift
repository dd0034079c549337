import Support

/// NSGA-II's survival (pymoo's `RankAndCrowding`): feasible individuals by non-dominated front,
/// the front that does not fit whole by crowding distance (most isolated first, ties at random),
/// then infeasible ones by increasing violation.
struct RankAndCrowdingSurvival {
    /// Keeps the best `keeping` of rows `0..<total` in rows `0..<keeping`, with their rank and
    /// crowding distance; returns the new rows of the surviving first front, in lexicographic
    /// order of their objectives.
    func survive(_ population: inout Population, total: Int, keeping: Int, using generator: inout SeededGenerator) -> [Int] {
        let objectives = population.objectives, violations = population.violations
        let ranks = population.ranks, crowding = population.crowding
        let objectivesCount = population.objectivesCount
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
        population.compact(survivors)
        return firstFront
    }
}
