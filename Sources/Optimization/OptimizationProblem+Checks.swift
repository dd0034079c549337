import Support

extension OptimizationProblem {
    /// Refuses a problem no optimiser can search: no genes, an empty choice set, a real gene
    /// with inverted or infinite bounds, no objectives.
    public func checkDomains() throws {
        if genes.isEmpty { throw HwnasError("the problem has no genes") }
        if objectivesCount < 1 { throw HwnasError("the problem has no objectives") }
        for (index, gene) in genes.enumerated() {
            switch gene {
            case .choice(let count) where count < 1:
                throw HwnasError("gene \(index) has an empty choice set")
            case .real(let lower, let upper) where !(lower.isFinite && upper.isFinite && lower <= upper):
                throw HwnasError("gene \(index) has bounds \(lower)...\(upper); they must be finite and ordered")
            default:
                continue
            }
        }
    }
}
