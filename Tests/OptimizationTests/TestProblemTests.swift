import Foundation
import Optimization
import Support
import Testing

@Suite struct TestProblemTests {
    /// The genome whose values pymoo 0.6.2 evaluated below: gene i at lower + (upper - lower) * ((7i + 3) mod 11) / 10.5.
    static func genome(_ problem: TestProblem) -> [Double] {
        problem.genes.enumerated().map { i, gene in
            guard case .real(let lower, let upper) = gene else { fatalError("test problems have real genes") }
            return lower + (upper - lower) * Double((i * 7 + 3) % 11) / 10.5
        }
    }

    @Test(arguments: [
        ("zdt1", nil, 30, [0.2857142857142857, 4.213705306810008]),
        ("zdt2", nil, 30, [0.2857142857142857, 5.448111510391911]),
        ("zdt3", nil, 30, [0.2857142857142857, 4.08973852420499]),
        ("zdt4", nil, 10, [0.2857142857142857, 164.7958409588737]),
        ("zdt6", nil, 10, [0.9271646224313387, 8.374900613988599]),
        ("dtlz1", 3, 7, [63.534765592208466, 3.176738279610427, 166.77875967954725]),
        ("dtlz2", 3, 12, [0.12114727569758021, 1.6165980469978776, 0.7806955714054021]),
        ("dtlz2", 5, 14, [0.0765444977532198, 0.023610850632028925, 0.10044631206293549, 1.7143884770620215, 0.8279210123977895]),
    ] as [(String, Int?, Int, [Double])])
    func objectivesMatchPymoo(name: String, objectives: Int?, genes: Int, expected: [Double]) throws {
        let problem = try TestProblem.named(name, objectivesCount: objectives)
        #expect(problem.genes.count == genes)
        let values = problem.evaluate(Self.genome(problem)).objectives
        #expect(values.count == expected.count)
        for (value, want) in zip(values, expected) {
            #expect(abs(value - want) <= 1e-12 * max(1, abs(want)), "\(name): \(values) vs \(expected)")
        }
    }

    @Test func domainsAndDefaults() throws {
        let zdt4 = try TestProblem.named("zdt4")
        #expect(zdt4.genes.first == .real(lower: 0, upper: 1))
        #expect(zdt4.genes.dropFirst().allSatisfy { $0 == .real(lower: -5, upper: 5) })
        #expect(try TestProblem.named("DTLZ1").objectivesCount == 3)
        #expect(try TestProblem.named("dtlz1", objectivesCount: 5).genes.count == 9)
        #expect(try TestProblem.named("zdt1").referencePoint == [1.1, 1.1])
        #expect(try TestProblem.named("dtlz1").referencePoint == [0.55, 0.55, 0.55])
        #expect(try TestProblem.named("dtlz2", objectivesCount: 4).referencePoint == [1.1, 1.1, 1.1, 1.1])
    }

    @Test func badNamesAndCountsAreRefused() {
        #expect(throws: HwnasError("unknown problem 'zdt5'; known problems: zdt1, zdt2, zdt3, zdt4, zdt6, dtlz1, dtlz2")) {
            try TestProblem.named("zdt5")
        }
        #expect(throws: HwnasError("zdt1 has 2 objectives, not 3")) { try TestProblem.named("zdt1", objectivesCount: 3) }
        #expect(throws: HwnasError("dtlz2 needs at least 2 objectives, not 1")) { try TestProblem.named("dtlz2", objectivesCount: 1) }
    }

    /// Objective vectors of genomes on the true Pareto set: x1 spread over [0, 1], the rest optimal.
    static func trueFront(_ problem: TestProblem, samples: Int) -> [[Double]] {
        let rest: Double = 0
        return (0...samples).map { i in
            var genome = [Double](repeating: rest, count: problem.genes.count)
            genome[0] = Double(i) / Double(samples)
            return problem.evaluate(genome).objectives
        }
    }

    @Test(arguments: ["zdt1", "zdt2", "zdt3", "zdt4", "zdt6"])
    func zdtFrontHypervolumes(name: String) throws {
        let problem = try TestProblem.named(name)
        let truth = try #require(problem.paretoFrontHypervolume)
        let front = ParetoFilter.nondominated(Self.trueFront(problem, samples: 100_000))
        let value = Hypervolume.of(front, reference: problem.referencePoint).value
        #expect(value <= truth + 1e-9 && truth - value < 1e-4, "\(name): sampled \(value), closed form \(truth)")
    }

    @Test func closedFormValues() throws {
        #expect(abs(try #require(TestProblem.named("zdt1").paretoFrontHypervolume) - (1.21 - 1.0 / 3)) < 1e-15)
        #expect(abs(try #require(TestProblem.named("zdt2").paretoFrontHypervolume) - (1.21 - 2.0 / 3)) < 1e-15)
        // DTLZ2, 3 objectives: 1.1^3 - pi/6.
        #expect(abs(try #require(TestProblem.named("dtlz2").paretoFrontHypervolume) - (1.331 - Double.pi / 6)) < 1e-12)
        // DTLZ1, 3 objectives: 0.55^3 - 0.5^3 / 6.
        #expect(abs(try #require(TestProblem.named("dtlz1").paretoFrontHypervolume) - (0.166375 - 0.125 / 6)) < 1e-12)
        // ZDT6's front starts at f1 = 0.2807753191 (Zitzler, Deb & Thiele 2000).
        let zdt6 = try TestProblem.named("zdt6")
        let lowest = Self.trueFront(zdt6, samples: 100_000).map { $0[0] }.min()!
        #expect(abs(lowest - 0.2807753191) < 1e-6)
    }

    @Test(arguments: ["dtlz1", "dtlz2"])
    func dtlzFrontHypervolumes(name: String) throws {
        let problem = try TestProblem.named(name)
        let truth = try #require(problem.paretoFrontHypervolume)
        // A grid over the first two genes, the others at 0.5 (g = 0).
        var points: [[Double]] = []
        let steps = 120
        for i in 0...steps {
            for j in 0...steps {
                var genome = [Double](repeating: 0.5, count: problem.genes.count)
                genome[0] = Double(i) / Double(steps)
                genome[1] = Double(j) / Double(steps)
                points.append(problem.evaluate(genome).objectives)
            }
        }
        let value = Hypervolume.of(points, reference: problem.referencePoint).value
        #expect(value <= truth + 1e-9 && truth - value < 0.02 * truth, "\(name): sampled \(value), closed form \(truth)")
    }
}
