/// The values one gene of an optimisation genome may take.
///
/// Genomes are `[Double]` for every problem so that one optimiser serves both the search spaces
/// (choice indices, held as whole numbers) and the continuous test problems (ZDT, DTLZ).
public enum GeneDomain: Hashable, Sendable {
    /// A choice index in `0..<count`, stored as a whole number.
    case choice(count: Int)
    /// A real number in `lower...upper`.
    case real(lower: Double, upper: Double)
}
