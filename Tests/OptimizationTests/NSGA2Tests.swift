import Optimization
import Support
import Testing

/// ZDT1 with a budget: f1 must be at least `minimum` (violation: the shortfall).
struct ConstrainedZDT1: OptimizationProblem {
    var minimum: Double
    let inner = try! TestProblem.named("zdt1")
    var genes: [GeneDomain] { inner.genes }
    var objectivesCount: Int { 2 }
    func evaluate(_ genome: [Double]) -> Evaluation {
        var evaluation = inner.evaluate(genome)
        evaluation.violation = max(0, minimum - evaluation.objectives[0])
        return evaluation
    }
}

/// A search-space-like problem: choice genes of several sizes and a real one; cost grows with
/// every index, quality with a weighted sum, so the two conflict.
struct MixedProblem: OptimizationProblem {
    var genes: [GeneDomain] { [.choice(count: 3), .choice(count: 3), .choice(count: 5), .choice(count: 25), .choice(count: 1), .real(lower: -1, upper: 1)] }
    var objectivesCount: Int { 2 }
    func evaluate(_ genome: [Double]) -> Evaluation {
        let cost = genome[0] + 2 * genome[1] + genome[2] + 0.1 * genome[3] + genome[5] * genome[5]
        let quality = (genome[0] + genome[1]) * (genome[2] + 1) + (genome[3] / 8).squareRoot() - abs(genome[5] - 0.3)
        return Evaluation(objectives: [cost, -quality])
    }
}

@Suite struct NSGA2Tests {
    @Test func zdt1ReachesPymoosHypervolume() throws {
        // pymoo 0.6.2, same settings: 0.868 (ANCHORS.md); the true front's is 0.8767.
        let problem = try TestProblem.named("zdt1")
        let result = try NSGA2(settings: NSGA2Settings(population: 100, generations: 200, seed: 1)).run(problem)
        #expect(result.evaluations == 20_000)
        #expect(result.population.count == 100)
        let hypervolume = Hypervolume.of(result.frontObjectives, reference: problem.referencePoint).value
        #expect(hypervolume > 0.86, "\(hypervolume)")
        // The history rises to the final front.
        let history = result.hypervolumeHistory(reference: problem.referencePoint).map(\.value)
        #expect(history.count == 200)
        #expect(history.last == hypervolume)
        #expect(history.first! < 0.5 * hypervolume)
    }

    @Test func sameSeedSameResultOtherSeedOtherResult() throws {
        let problem = try TestProblem.named("dtlz2")
        let settings = NSGA2Settings(population: 20, generations: 15, seed: 7)
        let a = try NSGA2(settings: settings).run(problem)
        let b = try NSGA2(settings: settings).run(problem)
        #expect(a.population == b.population)
        #expect(a.frontHistory == b.frontHistory)
        var other = settings
        other.seed = 8
        #expect(try NSGA2(settings: other).run(problem).population != a.population)
    }

    @Test func theFrontIsFeasibleNondominatedDistinctAndFromThePopulation() throws {
        let problem = ConstrainedZDT1(minimum: 0.4)
        let result = try NSGA2(settings: NSGA2Settings(population: 40, generations: 60, seed: 3)).run(problem)
        #expect(!result.front.isEmpty)
        #expect(result.front.allSatisfy { $0.evaluation.isFeasible && $0.evaluation.objectives[0] >= 0.4 })
        let points = result.frontObjectives
        #expect(ParetoFilter.nondominatedIndices(points, keepingDuplicates: true) == Array(points.indices))
        #expect(Set(points).count == points.count)
        #expect(result.front.allSatisfy { result.population.contains($0) })
        #expect(points == points.sorted { $0.lexicographicallyPrecedes($1) })
        // No two population members are equal (duplicates are eliminated).
        #expect(Set(result.population.map(\.genome)).count == result.population.count)
        // The first generations were infeasible somewhere: the least violating one is kept.
        let closest = try #require(result.bestInfeasible)
        #expect(closest.evaluation.violation > 0)
    }

    @Test func anInfeasibleProblemReportsTheLeastViolatingGenome() throws {
        let problem = ConstrainedZDT1(minimum: 2)
        let result = try NSGA2(settings: NSGA2Settings(population: 10, generations: 20, seed: 1)).run(problem)
        #expect(result.front.isEmpty)
        let emptyHistory = result.frontHistory.allSatisfy { $0.isEmpty }
        #expect(emptyHistory)
        let closest = try #require(result.bestInfeasible)
        // Survival kept the least violating: f1 = x1 near 1, violation near 1.
        #expect(closest.evaluation.violation < 1.05)
        #expect(result.population.allSatisfy { $0.evaluation.violation >= closest.evaluation.violation })
    }

    @Test func choiceGenesStayWholeAndInRange() throws {
        let problem = MixedProblem()
        var counts: [Int] = []
        let result = try NSGA2(settings: NSGA2Settings(population: 30, generations: 40, seed: 2)).run(problem) { progress in
            counts.append(progress.evaluations)
        }
        #expect(counts.count == 40)
        #expect(counts == counts.sorted() && counts.last == result.evaluations)
        for individual in result.population {
            for (value, gene) in zip(individual.genome, problem.genes) {
                switch gene {
                case .choice(let count): #expect(value == value.rounded() && value >= 0 && value < Double(count))
                case .real(let lower, let upper): #expect(value >= lower && value <= upper)
                }
            }
        }
        #expect(result.front.count > 5)
    }

    @Test func aSpaceSmallerThanThePopulationStopsWhenNothingNewCanBeMade() throws {
        struct Tiny: OptimizationProblem {
            var genes: [GeneDomain] { [.choice(count: 2), .choice(count: 2)] }
            var objectivesCount: Int { 2 }
            func evaluate(_ genome: [Double]) -> Evaluation { Evaluation(objectives: [genome[0] - genome[1], genome[1] - genome[0]]) }
        }
        let result = try NSGA2(settings: NSGA2Settings(population: 10, generations: 50, seed: 1)).run(Tiny())
        #expect(result.population.count == 4)
        #expect(result.evaluations == 4)
        #expect(result.frontHistory.count == 1)
        #expect(Set(result.frontObjectives) == [[0, 0], [-1, 1], [1, -1]])
    }

    @Test func debsCrowdedComparisonAlsoConverges() throws {
        var settings = NSGA2Settings(population: 60, generations: 100, seed: 4)
        settings.tournament = .rankThenCrowding
        let problem = try TestProblem.named("zdt1")
        let result = try NSGA2(settings: settings).run(problem)
        #expect(Hypervolume.of(result.frontObjectives, reference: problem.referencePoint).value > 0.8)
    }

    @Test func badSettingsAndProblemsAreRefused() throws {
        let problem = try TestProblem.named("zdt1")
        #expect(throws: HwnasError("population must be at least 4, not 3")) {
            try NSGA2(settings: NSGA2Settings(population: 3)).run(problem)
        }
        #expect(throws: HwnasError("generations must be at least 1, not 0")) {
            try NSGA2(settings: NSGA2Settings(generations: 0)).run(problem)
        }
        struct Empty: OptimizationProblem {
            var genes: [GeneDomain] { [.real(lower: 1, upper: 0)] }
            var objectivesCount: Int { 1 }
            func evaluate(_ genome: [Double]) -> Evaluation { Evaluation(objectives: [0]) }
        }
        let error = try #require(throws: HwnasError.self) { try NSGA2().run(Empty()) }
        #expect(error.message.contains("gene 0 has bounds 1.0...0.0"), "message: \(error.message)")
    }

    @Test func randomSearchUsesTheBudgetAndKeepsAnArchive() throws {
        let problem = try TestProblem.named("zdt1")
        let settings = NSGA2Settings(population: 50, generations: 40, seed: 5)
        var batches = 0
        let random = try RandomSearch(matching: settings).run(problem) { _ in batches += 1 }
        #expect(random.evaluations == 2_000)
        #expect(batches == 40 && random.frontHistory.count == 40)
        let points = random.frontObjectives
        #expect(ParetoFilter.nondominatedIndices(points, keepingDuplicates: true) == Array(points.indices))
        // The archive only improves.
        let history = random.hypervolumeHistory(reference: problem.referencePoint).map(\.value)
        #expect(zip(history, history.dropFirst()).allSatisfy { $0 <= $1 })
        // NSGA-II does much better on the same budget.
        let nsga = try NSGA2(settings: settings).run(problem)
        #expect(Hypervolume.of(nsga.frontObjectives, reference: problem.referencePoint).value > history.last! + 0.1)
        // Constraints: only feasible points enter; the least violating is kept.
        let constrained = try RandomSearch(evaluations: 300, batch: 64, seed: 1).run(ConstrainedZDT1(minimum: 0.9))
        #expect(constrained.front.allSatisfy { $0.evaluation.objectives[0] >= 0.9 })
        #expect(constrained.frontHistory.count == 5)
        #expect(constrained.bestInfeasible != nil)
    }
}
