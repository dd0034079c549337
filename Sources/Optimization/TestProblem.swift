import Foundation
import Support

/// The standard multi-objective test problems, with the variable counts, bounds and hypervolume
/// reference points customary in the literature and in pymoo, so that an optimiser's results
/// compare with published ones.
///
/// | name | genes | objectives | reference point | true front |
/// |---|---|---|---|---|
/// | zdt1 | 30 in [0, 1] | 2 | (1.1, 1.1) | f2 = 1 - sqrt(f1) |
/// | zdt2 | 30 in [0, 1] | 2 | (1.1, 1.1) | f2 = 1 - f1^2 |
/// | zdt3 | 30 in [0, 1] | 2 | (1.1, 1.1) | five disconnected pieces of 1 - sqrt(f1) - f1 sin(10 pi f1) |
/// | zdt4 | x1 in [0, 1], 9 in [-5, 5] | 2 | (1.1, 1.1) | as zdt1 (multimodal: 21^9 local fronts) |
/// | zdt6 | 10 in [0, 1] | 2 | (1.1, 1.1) | f2 = 1 - f1^2, f1 from 0.2807753191 |
/// | dtlz1 | M + 4 in [0, 1] | M | (0.55, ...) | the simplex sum f = 0.5 |
/// | dtlz2 | M + 9 in [0, 1] | M | (1.1, ...) | the unit sphere's positive orthant |
///
/// The reference point is 1.1 times the true front's nadir point (ZDT: (1, 1), the customary
/// (1.1, 1.1), also for zdt3 whose f1 ends at 0.852; DTLZ1: 0.5 per objective; DTLZ2: 1), so a
/// front's extreme points count as they do for pymoo's `HV(ref_point=...)` with the same point.
public struct TestProblem: OptimizationProblem {
    public enum Kind: String, CaseIterable, Sendable {
        case zdt1, zdt2, zdt3, zdt4, zdt6, dtlz1, dtlz2
    }

    public let kind: Kind
    public let genes: [GeneDomain]
    public let objectivesCount: Int

    /// The most objectives a DTLZ problem takes: the true front's hypervolume of dtlz1 divides
    /// by M!, and 20! is the largest factorial a 64-bit integer holds.
    public static let maximumObjectivesCount = 20

    /// The most genes any test problem has at up to `maximumObjectivesCount` objectives.
    public static var largestGenomeLength: Int { max(30, maximumObjectivesCount + 9) }

    /// Every known name, in order.
    public static var names: [String] { Kind.allCases.map(\.rawValue) }

    /// The problem named `name` with `objectivesCount` objectives (ZDT: 2, the only count they
    /// have; DTLZ: 3 by default, at least 2). Throws for an unknown name or a count the problem
    /// does not have.
    public static func named(_ name: String, objectivesCount: Int? = nil) throws -> TestProblem {
        guard let kind = Kind(rawValue: name.lowercased()) else {
            throw HwnasError("unknown problem '\(name)'; known problems: \(names.joined(separator: ", "))")
        }
        return try TestProblem(kind, objectivesCount: objectivesCount)
    }

    public init(_ kind: Kind, objectivesCount: Int? = nil) throws {
        self.kind = kind
        switch kind {
        case .zdt1, .zdt2, .zdt3, .zdt4, .zdt6:
            if let count = objectivesCount, count != 2 {
                throw HwnasError("\(kind.rawValue) has 2 objectives, not \(count)")
            }
            self.objectivesCount = 2
            switch kind {
            case .zdt4: genes = [.real(lower: 0, upper: 1)] + Array(repeating: .real(lower: -5, upper: 5), count: 9)
            case .zdt6: genes = Array(repeating: .real(lower: 0, upper: 1), count: 10)
            default: genes = Array(repeating: .real(lower: 0, upper: 1), count: 30)
            }
        case .dtlz1, .dtlz2:
            let count = objectivesCount ?? 3
            if count < 2 { throw HwnasError("\(kind.rawValue) needs at least 2 objectives, not \(count)") }
            if count > Self.maximumObjectivesCount {
                throw HwnasError("\(kind.rawValue) takes at most \(Self.maximumObjectivesCount) objectives, not \(count): \(Self.objectivesLimitReason)")
            }
            self.objectivesCount = count
            genes = Array(repeating: .real(lower: 0, upper: 1), count: count + (kind == .dtlz1 ? 5 : 10) - 1)
        }
    }

    /// Why `maximumObjectivesCount` is the limit, for messages.
    public static let objectivesLimitReason =
        "the true front's hypervolume of dtlz1 divides by M!, and 20! is the largest factorial a 64-bit integer holds"

    public var name: String { kind.rawValue }

    /// The customary hypervolume reference point (see the type's documentation).
    public var referencePoint: [Double] {
        switch kind {
        case .dtlz1: Array(repeating: 0.55, count: objectivesCount)
        default: Array(repeating: 1.1, count: objectivesCount)
        }
    }

    /// The hypervolume of the true Pareto front at `referencePoint`, when it is known
    /// (ZDT3's piece ends are numerical constants; everything else is closed-form).
    public var paretoFrontHypervolume: Double? {
        switch kind {
        case .zdt1, .zdt4:
            // Under 1 - sqrt(f1) on [0, 1]: 1/3; the rest of the 1.1 x 1.1 box is dominated.
            return 1.1 * 1.1 - 1.0 / 3.0
        case .zdt2:
            return 1.1 * 1.1 - 2.0 / 3.0
        case .zdt3:
            return Self.zdt3FrontHypervolume
        case .zdt6:
            let a = Self.zdt6LowestF1
            // From f1 = a: the strip below a is not dominated; under 1 - f1^2 on [a, 1].
            return (1.1 - a) * 1.1 - ((1 - a) - (1 - a * a * a) / 3)
        case .dtlz1:
            // The box minus the simplex sum f < 0.5 (which lies inside it).
            let m = objectivesCount
            return pow(0.55, Double(m)) - pow(0.5, Double(m)) / Double((1...m).reduce(1, *))
        case .dtlz2:
            // The box minus the unit ball's positive orthant.
            let m = Double(objectivesCount)
            return pow(1.1, m) - pow(Double.pi, m / 2) / tgamma(m / 2 + 1) / pow(2, m)
        }
    }

    public func evaluate(_ genome: [Double]) -> Evaluation {
        precondition(genome.count == genes.count, "\(name) takes \(genes.count) genes, not \(genome.count)")
        return genome.withUnsafeBufferPointer { x in Evaluation(objectives: objectives(x)) }
    }

    func objectives(_ x: UnsafeBufferPointer<Double>) -> [Double] {
        let n = x.count
        switch kind {
        case .zdt1, .zdt2, .zdt3:
            var sum = 0.0
            for i in 1..<n { sum += x[i] }
            let g = 1 + 9 * sum / Double(n - 1), f1 = x[0], r = f1 / g
            let h = kind == .zdt1 ? 1 - r.squareRoot() : kind == .zdt2 ? 1 - r * r : 1 - r.squareRoot() - r * sin(10 * .pi * f1)
            return [f1, g * h]
        case .zdt4:
            var sum = 0.0
            for i in 1..<n { sum += x[i] * x[i] - 10 * cos(4 * .pi * x[i]) }
            let g = 1 + 10 * Double(n - 1) + sum, f1 = x[0]
            return [f1, g * (1 - (f1 / g).squareRoot())]
        case .zdt6:
            var sum = 0.0
            for i in 1..<n { sum += x[i] }
            let f1 = 1 - exp(-4 * x[0]) * pow(sin(6 * .pi * x[0]), 6)
            let g = 1 + 9 * pow(sum / Double(n - 1), 0.25)
            return [f1, g * (1 - (f1 / g) * (f1 / g))]
        case .dtlz1:
            let m = objectivesCount
            var g = 0.0
            for i in (m - 1)..<n { g += (x[i] - 0.5) * (x[i] - 0.5) - cos(20 * .pi * (x[i] - 0.5)) }
            g = 100 * (Double(n - m + 1) + g)
            var f = [Double](repeating: 0.5 * (1 + g), count: m)
            for j in 0..<m {
                for i in 0..<(m - 1 - j) { f[j] *= x[i] }
                if j > 0 { f[j] *= 1 - x[m - 1 - j] }
            }
            return f
        case .dtlz2:
            let m = objectivesCount
            var g = 0.0
            for i in (m - 1)..<n { g += (x[i] - 0.5) * (x[i] - 0.5) }
            var f = [Double](repeating: 1 + g, count: m)
            for j in 0..<m {
                for i in 0..<(m - 1 - j) { f[j] *= cos(x[i] * .pi / 2) }
                if j > 0 { f[j] *= sin(x[m - 1 - j] * .pi / 2) }
            }
            return f
        }
    }

    /// The smallest f1 of ZDT6: exp(-4x) sin^6(6 pi x) is largest on its first hump, where
    /// -4 sin + 36 pi cos = 0, that is at x = atan(9 pi) / (6 pi).
    static let zdt6LowestF1: Double = {
        let x = atan(9 * Double.pi) / (6 * Double.pi)
        return 1 - exp(-4 * x) * pow(sin(6 * .pi * x), 6)
    }()

    /// The f1 intervals of ZDT3's true front (Deb 2001; the ends are where the front's pieces
    /// stop being non-dominated).
    static let zdt3Pieces: [(Double, Double)] = [
        (0, 0.0830015349), (0.1822287280, 0.2577623634), (0.4093136748, 0.4538821041),
        (0.6183967944, 0.6525117038), (0.8233317983, 0.8518328654),
    ]

    /// f2 on ZDT3's true front.
    static func zdt3Front(_ f1: Double) -> Double {
        1 - f1.squareRoot() - f1 * sin(10 * .pi * f1)
    }

    /// The hypervolume of ZDT3's front at (1.1, 1.1), integrated in closed form piece by piece:
    /// over a piece, the dominated height is 1.1 - f2(f1); over the gap after it, 1.1 - f2 at
    /// the piece's end.
    static let zdt3FrontHypervolume: Double = {
        // Antiderivative of 1 - sqrt(x) - x sin(a x), a = 10 pi.
        let a = 10 * Double.pi
        func primitive(_ x: Double) -> Double {
            x - 2.0 / 3.0 * pow(x, 1.5) - (sin(a * x) / (a * a) - x * cos(a * x) / a)
        }
        var volume = 0.0
        for (i, piece) in zdt3Pieces.enumerated() {
            let (start, end) = piece
            volume += 1.1 * (end - start) - (primitive(end) - primitive(start))
            let next = i + 1 < zdt3Pieces.count ? zdt3Pieces[i + 1].0 : 1.1
            volume += (1.1 - zdt3Front(end)) * (next - end)
        }
        return volume
    }()
}
