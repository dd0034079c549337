import Optimization
import Support
import Testing

@Suite struct ParetoFilterTests {
    @Test func keepsTheNondominatedAndOneOfEqualPoints() {
        let points = NondominatedSortTests.twoObjectives
        #expect(ParetoFilter.nondominatedIndices(points) == [0, 1, 2])
        #expect(ParetoFilter.nondominatedIndices(points, keepingDuplicates: true) == [0, 1, 2, 5])
        #expect(ParetoFilter.nondominated(points) == [[1, 5], [2, 3], [4, 1]])
        #expect(ParetoFilter.nondominated([]).isEmpty)
        #expect(ParetoFilter.nondominated([[2, 2], [2, 2]]) == [[2, 2]])
    }

    @Test func agreesWithTheFirstFront() {
        var generator = SeededGenerator(seed: 5)
        for trial in 0..<30 {
            let points = ReferenceSorting.randomPoints(10 + trial, dimension: 2 + trial % 3, levels: 6, generator: &generator)
            let first = ReferenceSorting.fronts(points)[0]
            let kept = ParetoFilter.nondominatedIndices(points, keepingDuplicates: true)
            #expect(Set(kept) == first)
            let distinct = ParetoFilter.nondominatedIndices(points)
            #expect(Set(distinct.map { points[$0] }) == Set(first.map { points[$0] }))
            #expect(distinct.count == Set(distinct.map { points[$0] }).count)
        }
    }

    @Test func archiveKeepsOnlyNondominatedDistinctPoints() {
        var archive = ParetoArchive()
        func individual(_ f: [Double]) -> Individual { Individual(genome: f, evaluation: Evaluation(objectives: f)) }
        let entered = [[3, 3], [1, 4], [3, 3], [4, 4], [2, 2]].map { archive.insert(individual($0)) }
        #expect(entered == [true, true, false, false, true])
        #expect(archive.sorted.map(\.evaluation.objectives) == [[1, 4], [2, 2]])
    }
}
