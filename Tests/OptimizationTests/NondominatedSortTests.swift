import Optimization
import Support
import Testing

@Suite struct NondominatedSortTests {
    /// A (1,5), B (2,3), C (4,1), D (3,4), E (5,5), F = B, G (4,4): B dominates D, D dominates G,
    /// G dominates E; A, B, C and F are non-dominated, F as B's equal.
    static let twoObjectives: [[Double]] = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5], [2, 3], [4, 4]]

    @Test func handWorkedTwoObjectiveFronts() {
        let fronts = NondominatedSort.fronts(Self.twoObjectives)
        #expect(fronts.map(Set.init) == [[0, 1, 2, 5], [3], [6], [4]])
        #expect(NondominatedSort.ranks(Self.twoObjectives) == [0, 0, 0, 1, 3, 0, 2])
        // Within a front, lexicographic order.
        #expect(fronts[0] == [0, 1, 5, 2])
    }

    @Test func handWorkedThreeObjectiveFronts() {
        let points: [[Double]] = [[1, 2, 3], [3, 2, 1], [2, 2, 2], [2, 3, 4], [3, 3, 3], [4, 4, 4]]
        #expect(NondominatedSort.fronts(points).map(Set.init) == [[0, 1, 2], [3, 4], [5]])
    }

    @Test func edgeCases() {
        #expect(NondominatedSort.fronts([]).isEmpty)
        #expect(NondominatedSort.fronts([[1, 1]]) == [[0]])
        #expect(NondominatedSort.fronts([[1, 1], [1, 1], [1, 1]]).map(Set.init) == [[0, 1, 2]])
        #expect(NondominatedSort.fronts([[3], [1], [2], [1]]).map(Set.init) == [[1, 3], [2], [0]])
    }

    @Test(arguments: [2, 3, 4, 5])
    func agreesWithDebsFastNondominatedSort(dimension: Int) {
        var generator = SeededGenerator(seed: UInt64(dimension))
        for trial in 0..<40 {
            let points = ReferenceSorting.randomPoints(5 + trial * 4, dimension: dimension, levels: 3 + trial % 9, generator: &generator)
            let fronts = NondominatedSort.fronts(points)
            #expect(fronts.map(Set.init) == ReferenceSorting.fronts(points), "trial \(trial)")
            #expect(fronts.joined().count == points.count)
        }
    }
}
