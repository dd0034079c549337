/// The rows an NSGA-II run works on, in flat buffers sized once, so that a generation allocates
/// only its per-front index lists.
///
/// Rows `0..<count` hold the population; offspring are appended after them, and survival
/// compacts the chosen rows back to the front.
struct Population {
    let genomeLength: Int
    let objectivesCount: Int
    /// Rows of `genomeLength` genes, of `objectivesCount` objectives, and one violation, rank
    /// and crowding distance per row.
    var genomes: FlatBuffer<Double>
    var objectives: FlatBuffer<Double>
    var violations: FlatBuffer<Double>
    let ranks: FlatBuffer<Int>
    let crowding: FlatBuffer<Double>
    /// Survival gathers the survivors here, then swaps them with the buffers above.
    var spareGenomes: FlatBuffer<Double>
    var spareObjectives: FlatBuffer<Double>
    var spareViolations: FlatBuffer<Double>
    /// Rows holding the population.
    var count = 0

    init(rows: Int, genomeLength: Int, objectivesCount: Int) {
        self.genomeLength = genomeLength
        self.objectivesCount = objectivesCount
        genomes = FlatBuffer(count: rows * genomeLength, repeating: 0)
        objectives = FlatBuffer(count: rows * objectivesCount, repeating: 0)
        violations = FlatBuffer(count: rows, repeating: 0)
        ranks = FlatBuffer(count: rows, repeating: 0)
        crowding = FlatBuffer(count: rows, repeating: 0)
        spareGenomes = FlatBuffer(count: rows * genomeLength, repeating: 0)
        spareObjectives = FlatBuffer(count: rows * objectivesCount, repeating: 0)
        spareViolations = FlatBuffer(count: rows, repeating: 0)
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

    func individual(_ row: Int) -> Individual {
        Individual(genome: Array(UnsafeBufferPointer(start: genomes.base + row * genomeLength, count: genomeLength)),
                   evaluation: Evaluation(objectives: objectiveVector(row), violation: violations.base[row]))
    }
}
