import Optimization
import Testing

@Suite struct DominanceTests {
    @Test func paretoDominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
        #expect(DominanceRelation.pareto([1, 2], [2, 3]) == .dominates)
        #expect(DominanceRelation.pareto([2, 3], [1, 2]) == .dominated)
        #expect(DominanceRelation.pareto([1, 2], [1, 3]) == .dominates)
        #expect(DominanceRelation.pareto([1, 3], [2, 2]) == .incomparable)
        #expect(DominanceRelation.pareto([1, 2], [1, 2]) == .incomparable)
        #expect(DominanceRelation.pareto([0, 0, 1], [0, 0, 0]) == .dominated)
    }

    @Test func constrainedDominationPutsFeasibilityFirst() {
        let feasibleWorse = Evaluation(objectives: [9, 9])
        let feasibleBetter = Evaluation(objectives: [1, 1])
        let slightlyInfeasible = Evaluation(objectives: [0, 0], violation: 0.1)
        let veryInfeasible = Evaluation(objectives: [0, 0], violation: 2)
        #expect(DominanceRelation.constrained(feasibleWorse, slightlyInfeasible) == .dominates)
        #expect(DominanceRelation.constrained(slightlyInfeasible, feasibleWorse) == .dominated)
        #expect(DominanceRelation.constrained(slightlyInfeasible, veryInfeasible) == .dominates)
        #expect(DominanceRelation.constrained(veryInfeasible, slightlyInfeasible) == .dominated)
        #expect(DominanceRelation.constrained(veryInfeasible, Evaluation(objectives: [5, 5], violation: 2)) == .incomparable)
        #expect(DominanceRelation.constrained(feasibleBetter, feasibleWorse) == .dominates)
        #expect(DominanceRelation.constrained(Evaluation(objectives: [1, 2]), Evaluation(objectives: [2, 1])) == .incomparable)
    }
}
