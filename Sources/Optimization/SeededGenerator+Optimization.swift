import Support

extension SeededGenerator {
    /// A Double uniformly in [0, 1), from the top 53 bits.
    @inline(__always)
    mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// An integer uniformly in `0..<bound` (Lemire's multiply-shift; the bias is below 2^-50
    /// for the bounds used here, populations and choice counts).
    @inline(__always)
    mutating func nextIndex(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
