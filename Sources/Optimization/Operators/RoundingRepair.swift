/// Brings a gene that crossover or mutation moved back into its domain: clamped to its bounds,
/// and for a choice gene rounded to a whole index. pymoo's `RoundingRepair`, applied after each
/// operator as DyNAS-T applies it to its integer search spaces.
enum RoundingRepair {
    @inline(__always)
    static func repair(_ value: Double, lower: Double, upper: Double, choices: Int) -> Double {
        let clamped = min(max(value, lower), upper)
        return choices > 0 ? clamped.rounded() : clamped
    }
}
