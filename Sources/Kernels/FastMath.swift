/// Vectorised exp, erf, tanh and GELU on eight lanes (AVX2) and sixteen (AVX-512), with fused
/// multiply-adds.
///
/// libm's `expf`, `erff` and `tanhf` are scalar calls of 10-20 ns each; GELU over a BERT FFN
/// activation (128 x 3072 values) would then cost several milliseconds against ~13 ms of GEMM.
/// These are polynomial approximations evaluated in Float32 on whole registers:
/// - `exp`: Cephes-style range reduction to [-ln2/2, ln2/2], degree-6 polynomial, 2^n built in the
///   exponent bits; relative error about 2e-7 on [-87, 88]. Below -87.3 it returns 0.
/// - `erf`: x·P(x²)/Q(x²) with P of degree 6 and Q of degree 4 in x², and exactly ±1 beyond
///   |x| = 3.9; absolute error about 3e-7, most of it Float32 rounding (the rational form
///   itself is within 6e-8). One division instead of an exponential: about 15 vector operations.
/// - `gelu`: from `erf`, except in the left tail where 1 + erf cancels: there erfc comes from
///   exp(Q(|z|)), Q a degree-8 fit of log erfc on [0.92, 3.92]. Absolute error below 1e-6.
/// Coefficients were fitted (Lawson-reweighted least squares, rational by Sanathanan-Koerner
/// iteration) against mpmath in high precision.
/// - `tanh`: x·P(x²) (degree 5) for |x| < 0.5, else ±(1 - 2/(exp(2|x|) + 1)); absolute error
///   about 1.2e-7.
public enum FastMath {
    /// e^x on every lane.
    @_transparent
    public static func exp(_ x: Float8) -> Float8 {
        let clamped = x.replacing(with: 88.0, where: x .> 88.0)
            .replacing(with: -87.3, where: x .< -87.3)
        let magic = Float8(repeating: 12_582_912)  // 1.5 * 2^23: adding it rounds to an integer
        let shifted = magic.addingProduct(clamped, Float8(repeating: 1.442_695_04))
        let n = shifted - magic
        var r = clamped.addingProduct(n, Float8(repeating: -0.693_359_375))
        r = r.addingProduct(n, Float8(repeating: 2.121_944_4e-4))
        var p = Float8(repeating: 1.987_569_15e-4)
        p = Float8(repeating: 1.398_199_950_7e-3).addingProduct(p, r)
        p = Float8(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
        p = Float8(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
        p = Float8(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
        p = Float8(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
        p = r.addingProduct(p, r * r) + 1
        // The low bits of `shifted` hold n; moving them into the exponent field gives 2^n.
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((bits &<< 23) &+ SIMD8<Int32>(repeating: 127 << 23), to: Float8.self)
        return (p * scale).replacing(with: 0, where: x .< -87.3)
    }

    /// The error function on every lane.
    @_transparent
    public static func erf(_ x: Float8) -> Float8 {
        copySign(erfMagnitude(abs(x)), x)
    }

    /// tanh on every lane.
    @_transparent
    public static func tanh(_ x: Float8) -> Float8 {
        let magnitude = abs(x)
        let square = magnitude * magnitude
        var p = Float8(repeating: -6.619_806_4e-3)
        p = Float8(repeating: 2.127_870_4e-2).addingProduct(p, square)
        p = Float8(repeating: -5.389_429_6e-2).addingProduct(p, square)
        p = Float8(repeating: 1.333_290_9e-1).addingProduct(p, square)
        p = Float8(repeating: -3.333_332_5e-1).addingProduct(p, square)
        let small = magnitude.addingProduct(magnitude * square, p)
        let large = 1 - 2 / (exp(magnitude + magnitude) + 1)
        return copySign(large.replacing(with: small, where: magnitude .< 0.5), x)
    }

    /// GELU in its exact (erf) form, 0.5·x·(1 + erf(x/√2)).
    ///
    /// In the left tail 1 + erf(x/√2) cancels; lanes with x < -2.12 take erfc(|x|/√2) from the
    /// exponential form instead. That branch is rare on activations (a few per cent of vectors),
    /// so it is taken only when some lane needs it.
    @_transparent
    public static func gelu(_ x: Float8) -> Float8 {
        let z = abs(x) * 0.707_106_781_186_547_5
        var factor = 1 + copySign(erfMagnitude(z), x)
        let tail = x .< -2.121_320_343_559_642_6  // z > 1.5
        if minimum(x) < -2.121_320_343_559_642_6 {
            factor = factor.replacing(with: erfcLarge(z), where: tail)
        }
        return 0.5 * x * factor
    }

    /// Scalar forms, for tests and occasional use (they run the vector code on one lane).
    @inlinable public static func exp(_ x: Float) -> Float { exp(Float8(repeating: x))[0] }
    @inlinable public static func erf(_ x: Float) -> Float { erf(Float8(repeating: x))[0] }
    @inlinable public static func tanh(_ x: Float) -> Float { tanh(Float8(repeating: x))[0] }
    @inlinable public static func gelu(_ x: Float) -> Float { gelu(Float8(repeating: x))[0] }

    /// erf(z) for z >= 0: z·P(z²)/Q(z²), exactly 1 beyond 3.9 (where erf rounds to 1).
    @usableFromInline @_transparent
    static func erfMagnitude(_ z: Float8) -> Float8 {
        let clamped = z.replacing(with: 3.9, where: z .> 3.9)
        let t = clamped * clamped
        var p = Float8(repeating: 1.921_724_468_445_518e-8)
        p = Float8(repeating: -1.990_395_958_273_438_7e-6).addingProduct(p, t)
        p = Float8(repeating: 1.555_509_224_999_696e-4).addingProduct(p, t)
        p = Float8(repeating: 4.293_588_455_766_439_4e-3).addingProduct(p, t)
        p = Float8(repeating: 5.243_511_497_974_396e-2).addingProduct(p, t)
        p = Float8(repeating: 2.139_567_434_787_750_2e-1).addingProduct(p, t)
        p = Float8(repeating: 1.128_378_629_684_448_2).addingProduct(p, t)
        var q = Float8(repeating: 1.098_172_157_071_530_8e-3)
        q = Float8(repeating: 1.555_215_846_747_16e-2).addingProduct(q, t)
        q = Float8(repeating: 1.208_046_451_210_975_6e-1).addingProduct(q, t)
        q = Float8(repeating: 5.229_418_873_786_926e-1).addingProduct(q, t)
        q = 1 + q * t
        return (clamped * p / q).replacing(with: 1, where: z .> 3.9)
    }

    /// erfc(x) = exp(Q(x - 2.5)) for x in [0.921875, 3.92]; larger x are clamped to 3.92.
    @usableFromInline @inline(never)
    static func erfcLarge(_ magnitude: Float8) -> Float8 {
        let u = magnitude.replacing(with: 3.92, where: magnitude .> 3.92) - 2.5
        var q = Float8(repeating: 1.632_533_212_614_362_1e-6)
        q = Float8(repeating: -1.327_882_728_219_265_1e-5).addingProduct(q, u)
        q = Float8(repeating: 7.733_066_740_911_454e-5).addingProduct(q, u)
        q = Float8(repeating: -4.202_451_964_374_631_6e-4).addingProduct(q, u)
        q = Float8(repeating: 2.165_226_731_449_365_6e-3).addingProduct(q, u)
        q = Float8(repeating: -1.085_842_493_921_518_3e-2).addingProduct(q, u)
        q = Float8(repeating: -9.438_936_710_357_666e-1).addingProduct(q, u)
        q = Float8(repeating: -5.352_680_683_135_986).addingProduct(q, u)
        q = Float8(repeating: -7.806_815_147_399_902).addingProduct(q, u)
        return exp(q)
    }

    /// The smallest lane, by halving (the standard library's `min()` and `any(_:)` on SIMD
    /// types are generic calls, not instructions).
    @usableFromInline @_transparent
    static func minimum(_ x: Float8) -> Float {
        let half = x.lowHalf.replacing(with: x.highHalf, where: x.highHalf .< x.lowHalf)
        let quarter = half.lowHalf.replacing(with: half.highHalf, where: half.highHalf .< half.lowHalf)
        return Swift.min(quarter[0], quarter[1])
    }

    @usableFromInline @_transparent
    static func abs(_ x: Float8) -> Float8 {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Float8.self)
    }

    /// `magnitude` (non-negative) with the sign bit of `sign`.
    @usableFromInline @_transparent
    static func copySign(_ magnitude: Float8, _ sign: Float8) -> Float8 {
        let signBit = unsafeBitCast(sign, to: SIMD8<UInt32>.self) & 0x8000_0000
        return unsafeBitCast(unsafeBitCast(magnitude, to: SIMD8<UInt32>.self) | signBit, to: Float8.self)
    }

    // Sixteen lanes (AVX-512): the same coefficients and operations as the eight-lane forms
    // above, so both variants return the same value for the same input.

    /// e^x on every lane.
    @_transparent
    public static func exp(_ x: Float16x) -> Float16x {
        let clamped = x.replacing(with: 88.0, where: x .> 88.0)
            .replacing(with: -87.3, where: x .< -87.3)
        let magic = Float16x(repeating: 12_582_912)  // 1.5 * 2^23: adding it rounds to an integer
        let shifted = magic.addingProduct(clamped, Float16x(repeating: 1.442_695_04))
        let n = shifted - magic
        var r = clamped.addingProduct(n, Float16x(repeating: -0.693_359_375))
        r = r.addingProduct(n, Float16x(repeating: 2.121_944_4e-4))
        var p = Float16x(repeating: 1.987_569_15e-4)
        p = Float16x(repeating: 1.398_199_950_7e-3).addingProduct(p, r)
        p = Float16x(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
        p = Float16x(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
        p = Float16x(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
        p = Float16x(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
        p = r.addingProduct(p, r * r) + 1
        // The low bits of `shifted` hold n; moving them into the exponent field gives 2^n.
        let bits = unsafeBitCast(shifted, to: SIMD16<Int32>.self)
        let scale = unsafeBitCast((bits &<< 23) &+ SIMD16<Int32>(repeating: 127 << 23), to: Float16x.self)
        return (p * scale).replacing(with: 0, where: x .< -87.3)
    }

    /// The error function on every lane.
    @_transparent
    public static func erf(_ x: Float16x) -> Float16x {
        copySign(erfMagnitude(abs(x)), x)
    }

    /// tanh on every lane.
    @_transparent
    public static func tanh(_ x: Float16x) -> Float16x {
        let magnitude = abs(x)
        let square = magnitude * magnitude
        var p = Float16x(repeating: -6.619_806_4e-3)
        p = Float16x(repeating: 2.127_870_4e-2).addingProduct(p, square)
        p = Float16x(repeating: -5.389_429_6e-2).addingProduct(p, square)
        p = Float16x(repeating: 1.333_290_9e-1).addingProduct(p, square)
        p = Float16x(repeating: -3.333_332_5e-1).addingProduct(p, square)
        let small = magnitude.addingProduct(magnitude * square, p)
        let large = 1 - 2 / (exp(magnitude + magnitude) + 1)
        return copySign(large.replacing(with: small, where: magnitude .< 0.5), x)
    }

    /// GELU in its exact (erf) form, 0.5·x·(1 + erf(x/√2)).
    ///
    /// In the left tail 1 + erf(x/√2) cancels; lanes with x < -2.12 take erfc(|x|/√2) from the
    /// exponential form instead. That branch is rare on activations (a few per cent of vectors),
    /// so it is taken only when some lane needs it.
    @_transparent
    public static func gelu(_ x: Float16x) -> Float16x {
        let z = abs(x) * 0.707_106_781_186_547_5
        var factor = 1 + copySign(erfMagnitude(z), x)
        let tail = x .< -2.121_320_343_559_642_6  // z > 1.5
        if minimum(x) < -2.121_320_343_559_642_6 {
            factor = factor.replacing(with: erfcLarge(z), where: tail)
        }
        return 0.5 * x * factor
    }

    /// GELU, bit for bit as `gelu`, and its derivative gelu'(x) = Φ(x) + x·φ(x) from the same
    /// Φ(x) = factor/2: what a training forward keeps for its backward, one erf for both.
    @_transparent
    public static func geluAndDerivative(_ x: Float16x) -> (value: Float16x, derivative: Float16x) {
        let z = abs(x) * 0.707_106_781_186_547_5
        var factor = 1 + copySign(erfMagnitude(z), x)
        let tail = x .< -2.121_320_343_559_642_6  // z > 1.5
        if minimum(x) < -2.121_320_343_559_642_6 {
            factor = factor.replacing(with: erfcLarge(z), where: tail)
        }
        let density = 0.398_942_280_401_432_7 * exp(-0.5 * x * x)
        return (0.5 * x * factor, (0.5 * factor).addingProduct(x, density))
    }

    /// erf(z) for z >= 0: z·P(z²)/Q(z²), exactly 1 beyond 3.9 (where erf rounds to 1).
    @usableFromInline @_transparent
    static func erfMagnitude(_ z: Float16x) -> Float16x {
        let clamped = z.replacing(with: 3.9, where: z .> 3.9)
        let t = clamped * clamped
        var p = Float16x(repeating: 1.921_724_468_445_518e-8)
        p = Float16x(repeating: -1.990_395_958_273_438_7e-6).addingProduct(p, t)
        p = Float16x(repeating: 1.555_509_224_999_696e-4).addingProduct(p, t)
        p = Float16x(repeating: 4.293_588_455_766_439_4e-3).addingProduct(p, t)
        p = Float16x(repeating: 5.243_511_497_974_396e-2).addingProduct(p, t)
        p = Float16x(repeating: 2.139_567_434_787_750_2e-1).addingProduct(p, t)
        p = Float16x(repeating: 1.128_378_629_684_448_2).addingProduct(p, t)
        var q = Float16x(repeating: 1.098_172_157_071_530_8e-3)
        q = Float16x(repeating: 1.555_215_846_747_16e-2).addingProduct(q, t)
        q = Float16x(repeating: 1.208_046_451_210_975_6e-1).addingProduct(q, t)
        q = Float16x(repeating: 5.229_418_873_786_926e-1).addingProduct(q, t)
        q = 1 + q * t
        return (clamped * p / q).replacing(with: 1, where: z .> 3.9)
    }

    /// erfc(x) = exp(Q(x - 2.5)) for x in [0.921875, 3.92]; larger x are clamped to 3.92.
    @usableFromInline @inline(never)
    static func erfcLarge(_ magnitude: Float16x) -> Float16x {
        let u = magnitude.replacing(with: 3.92, where: magnitude .> 3.92) - 2.5
        var q = Float16x(repeating: 1.632_533_212_614_362_1e-6)
        q = Float16x(repeating: -1.327_882_728_219_265_1e-5).addingProduct(q, u)
        q = Float16x(repeating: 7.733_066_740_911_454e-5).addingProduct(q, u)
        q = Float16x(repeating: -4.202_451_964_374_631_6e-4).addingProduct(q, u)
        q = Float16x(repeating: 2.165_226_731_449_365_6e-3).addingProduct(q, u)
        q = Float16x(repeating: -1.085_842_493_921_518_3e-2).addingProduct(q, u)
        q = Float16x(repeating: -9.438_936_710_357_666e-1).addingProduct(q, u)
        q = Float16x(repeating: -5.352_680_683_135_986).addingProduct(q, u)
        q = Float16x(repeating: -7.806_815_147_399_902).addingProduct(q, u)
        return exp(q)
    }

    /// The smallest lane, by halving (the standard library's `min()` and `any(_:)` on SIMD
    /// types are generic calls, not instructions).
    @usableFromInline @_transparent
    static func minimum(_ x: Float16x) -> Float {
        minimum(x.lowHalf.replacing(with: x.highHalf, where: x.highHalf .< x.lowHalf))
    }

    @usableFromInline @_transparent
    static func abs(_ x: Float16x) -> Float16x {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Float16x.self)
    }

    /// `magnitude` (non-negative) with the sign bit of `sign`.
    @usableFromInline @_transparent
    static func copySign(_ magnitude: Float16x, _ sign: Float16x) -> Float16x {
        let signBit = unsafeBitCast(sign, to: SIMD16<UInt32>.self) & 0x8000_0000
        return unsafeBitCast(unsafeBitCast(magnitude, to: SIMD16<UInt32>.self) | signBit, to: Float16x.self)
    }
}
