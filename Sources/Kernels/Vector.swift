/// Eight Float lanes: one AVX2 register, the width of the AVX2 kernels.
public typealias Float8 = SIMD8<Float>

/// Sixteen Float lanes: one AVX-512 register, the width of the AVX-512 kernels. (Not `Float16`,
/// which is Swift's half-precision type.)
public typealias Float16x = SIMD16<Float>

/// Loads, stores and reductions on `Float8` and `Float16x` written so that they compile to single instructions.
///
/// The standard library's `pointwiseMin`, `max()` and `squareRoot()` on SIMD types are lowered
/// lane by lane (with NaN checks or libm calls); `replacing(with:where:)` with a comparison is
/// lowered to `vminps`/`vmaxps`/`vblendvps`, so the kernels use these helpers instead.
enum Vector {
    @_transparent
    static func load(_ p: UnsafePointer<Float>) -> Float8 {
        UnsafeRawPointer(p).loadUnaligned(as: Float8.self)
    }

    @_transparent
    static func load(_ p: UnsafeMutablePointer<Float>) -> Float8 {
        UnsafeRawPointer(p).loadUnaligned(as: Float8.self)
    }

    @_transparent
    static func store(_ v: Float8, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float8.self)
    }

    @_transparent
    static func min(_ a: Float8, _ b: Float8) -> Float8 {
        a.replacing(with: b, where: b .< a)
    }

    @_transparent
    static func max(_ a: Float8, _ b: Float8) -> Float8 {
        a.replacing(with: b, where: b .> a)
    }

    @_transparent
    static func sum(_ v: Float8) -> Float {
        let half = v.lowHalf + v.highHalf
        let quarter = half.lowHalf + half.highHalf
        return quarter[0] + quarter[1]
    }

    @_transparent
    static func maximum(_ v: Float8) -> Float {
        let half = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
        let quarter = half.lowHalf.replacing(with: half.highHalf, where: half.highHalf .> half.lowHalf)
        return Swift.max(quarter[0], quarter[1])
    }

    @_transparent
    static func load16(_ p: UnsafePointer<Float>) -> Float16x {
        UnsafeRawPointer(p).loadUnaligned(as: Float16x.self)
    }

    @_transparent
    static func load16(_ p: UnsafeMutablePointer<Float>) -> Float16x {
        UnsafeRawPointer(p).loadUnaligned(as: Float16x.self)
    }

    @_transparent
    static func store(_ v: Float16x, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float16x.self)
    }

    /// The first `count` (< 16) values at `p` in the low lanes, zeros above: a tail read into
    /// one padded register, so that tail elements see the same arithmetic as the rest.
    @_transparent
    static func loadPartial16(_ p: UnsafePointer<Float>, count: Int) -> Float16x {
        var v = Float16x.zero
        for lane in 0..<count { v[lane] = p[lane] }
        return v
    }

    /// Stores the low `count` lanes of `v` at `p`.
    @_transparent
    static func storePartial(_ v: Float16x, _ p: UnsafeMutablePointer<Float>, count: Int) {
        for lane in 0..<count { p[lane] = v[lane] }
    }

    @_transparent
    static func min(_ a: Float16x, _ b: Float16x) -> Float16x {
        a.replacing(with: b, where: b .< a)
    }

    @_transparent
    static func max(_ a: Float16x, _ b: Float16x) -> Float16x {
        a.replacing(with: b, where: b .> a)
    }

    @_transparent
    static func sum(_ v: Float16x) -> Float {
        sum(v.lowHalf + v.highHalf)
    }

    @_transparent
    static func maximum(_ v: Float16x) -> Float {
        maximum(v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf))
    }

    /// y[i] += x[i].
    static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 32 <= count {
            store(load(y + i) + load(x + i), y + i)
            store(load(y + i + 8) + load(x + i + 8), y + i + 8)
            store(load(y + i + 16) + load(x + i + 16), y + i + 16)
            store(load(y + i + 24) + load(x + i + 24), y + i + 24)
            i += 32
        }
        while i + 8 <= count {
            store(load(y + i) + load(x + i), y + i)
            i += 8
        }
        while i < count {
            y[i] += x[i]
            i += 1
        }
    }

    @_transparent
    static func relu(_ x: Float8) -> Float8 {
        Vector.max(x, .zero)
    }

    @_transparent
    static func relu6(_ x: Float8) -> Float8 {
        Vector.min(Vector.max(x, .zero), Float8(repeating: 6))
    }

    @_transparent
    static func hardSigmoid(_ x: Float8) -> Float8 {
        relu6(x + 3) * (1 / 6 as Float)
    }

    @_transparent
    static func hardSwish(_ x: Float8) -> Float8 {
        x * hardSigmoid(x)
    }

    @_transparent
    static func relu(_ x: Float16x) -> Float16x {
        Vector.max(x, .zero)
    }

    @_transparent
    static func relu6(_ x: Float16x) -> Float16x {
        Vector.min(Vector.max(x, .zero), Float16x(repeating: 6))
    }

    @_transparent
    static func hardSigmoid(_ x: Float16x) -> Float16x {
        relu6(x + 3) * (1 / 6 as Float)
    }

    @_transparent
    static func hardSwish(_ x: Float16x) -> Float16x {
        x * hardSigmoid(x)
    }
}
