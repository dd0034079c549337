import Foundation
import Support

/// Simulated binary crossover (SBX, Deb & Agrawal 1995) as pymoo 0.6's `SBX` runs it: two
/// parents make two children, spread around them by a polynomial distribution whose index `eta`
/// keeps them close, with the bound-aware spread of pymoo and DyNAS-T.
///
/// Choice genes are crossed on their index and then repaired (`RoundingRepair`), so that
/// children of ordered choice sets (kernel 3/5/7, depth 2/3/4, widths) fall between and near
/// their parents.
struct SimulatedBinaryCrossover {
    var bounds: GeneBounds
    /// Probability that a mating crosses its parents over (else the children copy them).
    var probability: Double
    /// Probability that a given gene of a crossed mating is crossed (pymoo's `prob_var`).
    var geneProbability: Double
    /// Distribution index: larger keeps children closer to their parents.
    var eta: Double

    /// Two children of two parents: crossed over with probability `probability`, else
    /// copies of the parents.
    func crossover(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                   into first: UnsafeMutablePointer<Double>, _ second: UnsafeMutablePointer<Double>,
                   using generator: inout SeededGenerator) {
        let n = bounds.count
        first.update(from: a, count: n)
        second.update(from: b, count: n)
        guard generator.nextUnitDouble() < probability else { return }
        bounds.lower.withUnsafeBufferPointer { lower in
            bounds.upper.withUnsafeBufferPointer { upper in
                bounds.choices.withUnsafeBufferPointer { choices in
                    for i in 0..<n {
                        let selected = generator.nextUnitDouble() < geneProbability
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
                        first[i] = RoundingRepair.repair(swap ? highChild : lowChild, lower: low, upper: high, choices: choices[i])
                        second[i] = RoundingRepair.repair(swap ? lowChild : highChild, lower: low, upper: high, choices: choices[i])
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
        let alpha = 2 - 1 / FastPower.power(beta, eta + 1)
        let ua = u * alpha
        let inner = ua .<= 1
        let argument = SIMD2<Double>(1, 1) / (2 - ua)
        return FastPower.root(argument.replacing(with: ua, where: inner), eta + 1)
    }
}
