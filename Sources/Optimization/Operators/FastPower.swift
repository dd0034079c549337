import Foundation

/// Whole powers and power-of-two roots as SBX and polynomial mutation need them, several times
/// faster than `pow` for the usual distribution indices (and equal to repeated multiplication,
/// which is what the results were fixed with).
enum FastPower {
    /// x^e lane by lane, by repeated squaring when e is a whole number up to 64 (the usual
    /// distribution indices), several times faster than `pow`.
    @inline(__always)
    static func power(_ x: SIMD2<Double>, _ e: Double) -> SIMD2<Double> {
        guard e == e.rounded(), e >= 1, e <= 64 else { return SIMD2(pow(x[0], e), pow(x[1], e)) }
        var exponent = Int(e), base = x, result = SIMD2<Double>(1, 1)
        while exponent > 0 {
            if exponent & 1 == 1 { result *= base }
            base *= base
            exponent >>= 1
        }
        return result
    }

    @inline(__always)
    static func power(_ x: Double, _ e: Double) -> Double {
        power(SIMD2(x, x), e)[0]
    }

    /// x^(1/e) lane by lane, by repeated square roots when e is a power of two up to 64 (SBX's
    /// default eta 15 makes it 16), else `pow`.
    @inline(__always)
    static func root(_ x: SIMD2<Double>, _ e: Double) -> SIMD2<Double> {
        guard e == e.rounded(), e >= 1, e <= 64, Int(e).nonzeroBitCount == 1 else {
            return SIMD2(pow(x[0], 1 / e), pow(x[1], 1 / e))
        }
        // Two independent scalar chains (the vector square root is split up with checks anyway).
        var a = x[0], b = x[1], exponent = Int(e)
        while exponent > 1 {
            a = a.squareRoot()
            b = b.squareRoot()
            exponent >>= 1
        }
        return SIMD2(a, b)
    }
}
