import Foundation
import Support

/// NSGA-II's variation operators as pymoo 0.6 runs them: simulated binary crossover (SBX,
/// Deb & Agrawal 1995) and polynomial mutation (Deb & Goyal 1996).
///
/// Choice genes go through the same operators on their index, clamped to `0...count-1` and
/// rounded back to a whole index after each: what pymoo does for integer variables and DyNAS-T
/// for its search spaces, whose choice sets are ordered (kernel 3/5/7, depth 2/3/4, widths), so
/// that children fall between and near their parents. Rounded polynomial mutation seldom moves
/// a gene of few choices; resetting the gene to a uniformly drawn other index, or stepping it
/// to a neighbour, were tried instead (9 seeds, 50 x 30-40 generations): on discretised ZDT1
/// and DTLZ2 and on a synthetic latency/accuracy problem of 46 five-choice genes rounding gave
/// the best median hypervolume (by 1-35%), on three-choice genes resetting was ahead by under
/// 1%. Rounding it is, which also keeps results comparable with DyNAS-T's.
struct Variation {
    var bounds: GeneBounds
    var crossoverProbability: Double
    var crossoverGeneProbability: Double
    var crossoverEta: Double
    var mutationProbability: Double
    var mutationGeneProbability: Double
    var mutationEta: Double

    init(settings: NSGA2Settings, bounds: GeneBounds) {
        self.bounds = bounds
        crossoverProbability = settings.crossoverProbability
        crossoverGeneProbability = settings.crossoverGeneProbability
        crossoverEta = settings.crossoverEta
        mutationProbability = settings.mutationProbability
        mutationGeneProbability = settings.mutationGeneProbability ?? min(0.5, 1 / Double(bounds.count))
        mutationEta = settings.mutationEta
    }

    /// Two children of two parents: crossed over with probability `crossoverProbability`, else
    /// copies of the parents.
    func crossover(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                   into first: UnsafeMutablePointer<Double>, _ second: UnsafeMutablePointer<Double>,
                   using generator: inout SeededGenerator) {
        let n = bounds.count
        first.update(from: a, count: n)
        second.update(from: b, count: n)
        guard generator.nextUnitDouble() < crossoverProbability else { return }
        bounds.lower.withUnsafeBufferPointer { lower in
            bounds.upper.withUnsafeBufferPointer { upper in
                bounds.choices.withUnsafeBufferPointer { choices in
                    for i in 0..<n {
                        let selected = generator.nextUnitDouble() < crossoverGeneProbability
                        let x1 = a[i], x2 = b[i], low = lower[i], high = upper[i]
                        guard selected, abs(x1 - x2) > 1e-14, low < high else { continue }
                        let y1 = min(x1, x2), y2 = max(x1, x2), delta = y2 - y1
                        let u = generator.nextUnitDouble()
                        // beta_q of both sides at once: SIMD lanes overlap their root chains.
                        let betas = SIMD2(1 + 2 * (y1 - low) / delta, 1 + 2 * (high - y2) / delta)
                        let spreads = spread(betas, u)
                        let lowChild = 0.5 * ((y1 + y2) - spreads[0] * delta)
                        let highChild = 0.5 * ((y1 + y2) + spreads[1] * delta)
                        // Either child goes to either side with probability 1/2 (pymoo's prob_bin).
                        let swap = generator.nextUnitDouble() < 0.5
                        var c1 = swap ? highChild : lowChild, c2 = swap ? lowChild : highChild
                        c1 = min(max(c1, low), high)
                        c2 = min(max(c2, low), high)
                        if choices[i] > 0 {
                            c1 = c1.rounded()
                            c2 = c2.rounded()
                        }
                        first[i] = c1
                        second[i] = c2
                    }
                }
            }
        }
    }

    /// SBX's spread factors beta_q for the bound-aware betas of the two sides and one uniform
    /// draw: alpha = 2 - beta^-(eta+1); beta_q = (u alpha)^(1/(eta+1)) when u <= 1/alpha, else
    /// (1 / (2 - u alpha))^(1/(eta+1)).
    @inline(__always)
    func spread(_ beta: SIMD2<Double>, _ u: Double) -> SIMD2<Double> {
        let alpha = 2 - 1 / Self.power(beta, crossoverEta + 1)
        let ua = u * alpha
        let inner = ua .<= 1
        let argument = SIMD2<Double>(1, 1) / (2 - ua)
        return Self.root(argument.replacing(with: ua, where: inner), crossoverEta + 1)
    }

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

    /// Mutates `child` in place with probability `mutationProbability`, each gene with
    /// probability `mutationGeneProbability`.
    func mutate(_ child: UnsafeMutablePointer<Double>, using generator: inout SeededGenerator) {
        guard generator.nextUnitDouble() <= mutationProbability else { return }
        let n = bounds.count, eta = mutationEta, exponent = 1 / (eta + 1)
        bounds.lower.withUnsafeBufferPointer { lower in
            bounds.upper.withUnsafeBufferPointer { upper in
                bounds.choices.withUnsafeBufferPointer { choices in
                    for i in 0..<n where generator.nextUnitDouble() < mutationGeneProbability {
                        let low = lower[i], high = upper[i]
                        guard low < high else { continue }
                        let choiceCount = choices[i]
                        let x = child[i], range = high - low
                        let u = generator.nextUnitDouble()
                        let deltaq: Double
                        if u <= 0.5 {
                            let xy = 1 - (x - low) / range
                            deltaq = pow(2 * u + (1 - 2 * u) * Self.power(xy, eta + 1), exponent) - 1
                        } else {
                            let xy = 1 - (high - x) / range
                            deltaq = 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * Self.power(xy, eta + 1), exponent)
                        }
                        var y = min(max(x + deltaq * range, low), high)
                        if choiceCount > 0 { y = y.rounded() }
                        child[i] = y
                    }
                }
            }
        }
    }
}
