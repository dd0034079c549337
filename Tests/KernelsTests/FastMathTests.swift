import Foundation
import Kernels
import Testing

/// The approximations against Foundation's Double functions over dense grids.
@Suite struct FastMathTests {
    /// Every grid value through the vector path, eight at a time.
    func evaluate(_ xs: [Float], _ f: (Float8) -> Float8) -> [Float] {
        var out = [Float](repeating: 0, count: xs.count)
        var i = 0
        while i < xs.count {
            var v = Float8.zero
            for lane in 0..<8 where i + lane < xs.count { v[lane] = xs[i + lane] }
            let r = f(v)
            for lane in 0..<8 where i + lane < xs.count { out[i + lane] = r[lane] }
            i += 8
        }
        return out
    }

    func grid(_ lower: Float, _ upper: Float, _ count: Int) -> [Float] {
        (0..<count).map { lower + (upper - lower) * Float($0) / Float(count - 1) }
    }

    @Test func erfAbsoluteErrorBelow1e6() {
        let xs = grid(-6, 6, 300_001)
        let ys = evaluate(xs) { FastMath.erf($0) }
        let worst = zip(xs, ys).map { abs(Double($1) - Foundation.erf(Double($0))) }.max()!
        #expect(worst <= 1e-6, "max |erf error| \(worst)")
        #expect(FastMath.erf(0) == 0)
        #expect(FastMath.erf(10) == 1 && FastMath.erf(-10) == -1)
    }

    @Test func expRelativeError() {
        let xs = grid(-87, 88, 200_001)
        let ys = evaluate(xs) { FastMath.exp($0) }
        let worst = zip(xs, ys).map { x, y in
            let e = Foundation.exp(Double(x))
            return abs(Double(y) - e) / e
        }.max()!
        #expect(worst <= 5e-7, "max relative exp error \(worst)")
        #expect(FastMath.exp(0) == 1)
        #expect(FastMath.exp(-100) == 0)
        #expect(FastMath.exp(100).isFinite)
    }

    @Test func tanhAbsoluteAndRelativeError() {
        let xs = grid(-12, 12, 240_001)
        let ys = evaluate(xs) { FastMath.tanh($0) }
        var worstAbsolute = 0.0, worstRelative = 0.0
        for (x, y) in zip(xs, ys) where x != 0 {
            let t = Foundation.tanh(Double(x))
            worstAbsolute = max(worstAbsolute, abs(Double(y) - t))
            worstRelative = max(worstRelative, abs(Double(y) - t) / abs(t))
        }
        #expect(worstAbsolute <= 1e-6, "max |tanh error| \(worstAbsolute)")
        #expect(worstRelative <= 1e-6, "max relative tanh error \(worstRelative)")
    }

    @Test func geluMatchesErfForm() {
        let xs = grid(-10, 10, 200_001)
        let ys = evaluate(xs) { FastMath.gelu($0) }
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let g = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(y) - g) / max(1, abs(g)))
        }
        #expect(worst <= 1e-6, "max gelu error \(worst)")
    }

    /// The value is `gelu`'s bit for bit; the derivative is Φ(x) + x·φ(x) within 1e-6 (absolute
    /// where it is below 1).
    @Test func geluAndDerivative() {
        let xs = grid(-10, 10, 100_000)
        var mismatches = 0, worst = 0.0
        for start in stride(from: 0, to: xs.count - 15, by: 16) {
            var v = Float16x.zero
            for lane in 0..<16 { v[lane] = xs[start + lane] }
            let (value, derivative) = FastMath.geluAndDerivative(v)
            let plain = FastMath.gelu(v)
            for lane in 0..<16 {
                if value[lane] != plain[lane] { mismatches += 1 }
                let x = Double(v[lane])
                let exact = 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) + x * Foundation.exp(-x * x / 2) / (2 * Double.pi).squareRoot()
                worst = max(worst, abs(Double(derivative[lane]) - exact) / max(1, abs(exact)))
            }
        }
        #expect(mismatches == 0, "\(mismatches) values differ from gelu")
        #expect(worst <= 1e-6, "max gelu' error \(worst)")
    }

    /// The sixteen-lane forms (AVX-512) give exactly the eight-lane results, so the accuracy
    /// checked above holds for both.
    @Test func sixteenLanesMatchEight() {
        let xs = grid(-90, 90, 40_000) + grid(-6, 6, 40_000)
        func same(_ wide: (Float16x) -> Float16x, _ narrow: (Float8) -> Float8, _ name: String) {
            var mismatches = 0
            for start in stride(from: 0, to: xs.count - 15, by: 16) {
                var v = Float16x.zero
                for lane in 0..<16 { v[lane] = xs[start + lane] }
                let r = wide(v), low = narrow(v.lowHalf), high = narrow(v.highHalf)
                for lane in 0..<8 where r[lane] != low[lane] || r[lane + 8] != high[lane] { mismatches += 1 }
            }
            #expect(mismatches == 0, "\(name): \(mismatches) lanes differ")
        }
        same(FastMath.exp, FastMath.exp, "exp")
        same(FastMath.erf, FastMath.erf, "erf")
        same(FastMath.tanh, FastMath.tanh, "tanh")
        same(FastMath.gelu, FastMath.gelu, "gelu")
    }
}
