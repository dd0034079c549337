/// Drops offspring equal to a population member or to an earlier offspring, so that others are
/// made in their place (pymoo's `eliminate_duplicates=True`); when disabled it admits everything.
struct DuplicateElimination {
    let enabled: Bool
    private var table: GenomeTable

    init(enabled: Bool, genomeLength: Int, capacity: Int) {
        self.enabled = enabled
        table = GenomeTable(length: genomeLength, capacity: capacity)
    }

    /// Forgets every genome seen.
    mutating func removeAll() {
        table.removeAll()
    }

    /// Starts a round of mating: offspring must differ from rows `0..<count` of `genomes`.
    mutating func remember(population count: Int, of genomes: UnsafePointer<Double>) {
        guard enabled else { return }
        table.removeAll()
        for row in 0..<count { _ = table.insert(row: row, of: genomes) }
    }

    /// Whether row `row` of `genomes` differs from every genome seen; it is then remembered.
    @inline(__always)
    mutating func admits(row: Int, of genomes: UnsafePointer<Double>) -> Bool {
        !enabled || table.insert(row: row, of: genomes)
    }
}
