import Optimization
import Testing

@Suite struct CrowdingDistanceTests {
    /// (0,5), (1,3), (3,1), (6,0): ranges 6 and 5.
    /// (1,3): f1 neighbours 0 and 3 -> 3/6; f2 neighbours 1 and 5 -> 4/5; 1.3.
    /// (3,1): f1 neighbours 1 and 6 -> 5/6; f2 neighbours 0 and 3 -> 3/5; 1.4333...
    @Test func handWorkedFront() {
        let distances = CrowdingDistance.of([[0, 5], [1, 3], [3, 1], [6, 0]])
        #expect(distances[0] == .infinity && distances[3] == .infinity)
        #expect(abs(distances[1] - 1.3) < 1e-12)
        #expect(abs(distances[2] - (5.0 / 6.0 + 0.6)) < 1e-12)
    }

    @Test func orderOfThePointsDoesNotMatter() {
        let distances = CrowdingDistance.of([[3, 1], [6, 0], [1, 3], [0, 5]])
        #expect(distances[1] == .infinity && distances[3] == .infinity)
        #expect(abs(distances[2] - 1.3) < 1e-12)
    }

    @Test func smallFrontsAreAllExtreme() {
        #expect(CrowdingDistance.of([[1, 2]]) == [.infinity])
        #expect(CrowdingDistance.of([[1, 2], [2, 1]]) == [.infinity, .infinity])
        #expect(CrowdingDistance.of([]).isEmpty)
    }

    @Test func anObjectiveWithoutSpreadAddsNothing() {
        // f2 is the same everywhere: only f1 counts, its extremes are infinite.
        let distances = CrowdingDistance.of([[1, 0], [2, 0], [3, 0], [5, 0]])
        #expect(distances == [.infinity, 0.5, 0.75, .infinity])
        // All equal: nothing to tell them apart.
        #expect(CrowdingDistance.of([[1, 1], [1, 1], [1, 1]]) == [0, 0, 0])
    }

    @Test func threeObjectives() {
        // Middle point of a line in 3-D: each objective's gap is the whole range: 3 in total.
        let distances = CrowdingDistance.of([[0, 2, 4], [1, 1, 2], [2, 0, 0]])
        #expect(distances == [.infinity, 3, .infinity])
    }
}
