import Kernels

/// Sixteen-lane loads, stores and reductions on raw Float memory (one AVX-512 register, two
/// AVX2 registers), with padded tails so that the last few values of a row see the same
/// arithmetic as the rest.
///
/// The standard library's `sum()` and `max()` on SIMD types are generic lane loops; these
/// halve the vector instead.
enum Lanes {
    static let width = 16

    @_transparent
    static func load(_ p: UnsafePointer<Float>) -> Float16x {
        UnsafeRawPointer(p).loadUnaligned(as: Float16x.self)
    }

    @_transparent
    static func store(_ v: Float16x, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float16x.self)
    }

    /// The first `count` values at `p` (all sixteen when `count >= 16`), zeros above.
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, count: Int) -> Float16x {
        if count >= 16 { return load(p) }
        var v = Float16x.zero
        for lane in 0..<count { v[lane] = p[lane] }
        return v
    }

    /// Stores the low `count` lanes of `v` (all sixteen when `count >= 16`).
    @inline(__always)
    static func store(_ v: Float16x, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count >= 16 { store(v, p); return }
        for lane in 0..<count { p[lane] = v[lane] }
    }

    @_transparent
    static func sum(_ v: Float16x) -> Float {
        let half = v.lowHalf + v.highHalf
        let quarter = half.lowHalf + half.highHalf
        let eighth = quarter.lowHalf + quarter.highHalf
        return eighth[0] + eighth[1]
    }

    @_transparent
    static func maximum(_ v: Float16x) -> Float {
        let half = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
        let quarter = half.lowHalf.replacing(with: half.highHalf, where: half.highHalf .> half.lowHalf)
        let eighth = quarter.lowHalf.replacing(with: quarter.highHalf, where: quarter.highHalf .> quarter.lowHalf)
        return Swift.max(eighth[0], eighth[1])
    }

    /// The lane-wise maximum (`replacing` with a comparison is one instruction; the standard
    /// library's `pointwiseMax` is not).
    @_transparent
    static func max(_ a: Float16x, _ b: Float16x) -> Float16x {
        a.replacing(with: b, where: b .> a)
    }
}
