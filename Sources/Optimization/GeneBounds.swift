/// The genes of a problem as the variation operators read them: flat bounds, choice genes as
/// whole numbers in `0...count-1`.
struct GeneBounds {
    var lower: [Double]
    var upper: [Double]
    /// Choice counts, 0 for a real gene.
    var choices: [Int]

    init(_ genes: [GeneDomain]) {
        lower = []
        upper = []
        choices = []
        for gene in genes {
            switch gene {
            case .choice(let count):
                lower.append(0)
                upper.append(Double(count - 1))
                choices.append(count)
            case .real(let low, let high):
                lower.append(low)
                upper.append(high)
                choices.append(0)
            }
        }
    }

    var count: Int { lower.count }
}
