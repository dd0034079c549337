import Foundation
import Optimization
import Support
import Testing

@Suite struct HypervolumeTests {
    /// Inclusion–exclusion over all subsets: the volume of a union of boxes [p, reference].
    static func inclusionExclusion(_ points: [[Double]], reference: [Double]) -> Double {
        let inside = points.filter { zip($0, reference).allSatisfy { $0 < $1 } }
        var total = 0.0
        for mask in 1..<(1 << inside.count) {
            var corner = [Double](repeating: -.infinity, count: reference.count)
            var members = 0
            for (i, point) in inside.enumerated() where mask & (1 << i) != 0 {
                members += 1
                for k in corner.indices { corner[k] = max(corner[k], point[k]) }
            }
            let volume = zip(corner, reference).reduce(1.0) { $0 * ($1.1 - $1.0) }
            total += members % 2 == 1 ? volume : -volume
        }
        return total
    }

    /// Counts the unit cells of a whole-number grid dominated by some point.
    static func gridCount(_ points: [[Double]], reference: [Int]) -> Double {
        var count = 0
        for x in 0..<reference[0] {
            for y in 0..<reference[1] {
                for z in 0..<reference[2] where points.contains(where: { $0[0] <= Double(x) && $0[1] <= Double(y) && $0[2] <= Double(z) }) {
                    count += 1
                }
            }
        }
        return Double(count)
    }

    @Test func twoObjectivesByHand() {
        // Boxes from (1,3), (2,2), (3,1) to (4,4): 3 + 2 + 1.
        #expect(Hypervolume.of([[1, 3], [2, 2], [3, 1]], reference: [4, 4]) == .exact(6))
        // Order, duplicates and dominated points change nothing.
        #expect(Hypervolume.of([[3, 1], [2, 2], [2, 3], [1, 3], [3, 1]], reference: [4, 4]) == .exact(6))
        // Points on or beyond the reference add nothing.
        #expect(Hypervolume.of([[1, 3], [2, 2], [3, 1], [4, 0], [0.5, 5]], reference: [4, 4]) == .exact(6))
        #expect(Hypervolume.of([], reference: [1, 1]) == .exact(0))
        #expect(Hypervolume.of([[2, 2]], reference: [1, 1]) == .exact(0))
    }

    @Test func threeObjectivesByHand() {
        #expect(Hypervolume.of([[1, 1, 1]], reference: [2, 3, 4]) == .exact(6))
        // Boxes 3*2*1 and 2*3*3 overlap in 2*2*1: 6 + 18 - 4.
        #expect(Hypervolume.of([[1, 2, 3], [2, 1, 1]], reference: [4, 4, 4]) == .exact(20))
        #expect(Hypervolume.of([[1, 2, 3], [2, 1, 1], [2, 2, 2], [5, 0, 0]], reference: [4, 4, 4]) == .exact(20))
    }

    @Test func oneObjective() {
        #expect(Hypervolume.of([[3], [1], [7]], reference: [5]) == .exact(4))
    }

    @Test func randomThreeObjectiveSetsAgainstInclusionExclusion() {
        var generator = SeededGenerator(seed: 3)
        for trial in 0..<40 {
            let points = ReferenceSorting.randomFront(2 + trial % 11, dimension: 3, generator: &generator)
            let exact = Hypervolume.of(points, reference: [1, 1, 1])
            #expect(exact.isExact)
            #expect(abs(exact.value - Self.inclusionExclusion(points, reference: [1, 1, 1])) < 1e-12, "trial \(trial)")
        }
    }

    @Test func randomThreeObjectiveGridsAgainstCounting() {
        var generator = SeededGenerator(seed: 4)
        for trial in 0..<25 {
            let points = ReferenceSorting.randomPoints(3 + trial, dimension: 3, levels: 9, generator: &generator)
            #expect(Hypervolume.of(points, reference: [9, 9, 9]).value == Self.gridCount(points, reference: [9, 9, 9]), "trial \(trial)")
        }
    }

    @Test func randomTwoObjectiveSetsAgainstInclusionExclusion() {
        var generator = SeededGenerator(seed: 6)
        for trial in 0..<30 {
            let points = ReferenceSorting.randomFront(1 + trial % 12, dimension: 2, generator: &generator)
            #expect(abs(Hypervolume.of(points, reference: [1, 1]).value - Self.inclusionExclusion(points, reference: [1, 1])) < 1e-12)
        }
    }

    @Test func fourObjectivesAreAnEstimateWithinItsError() {
        var generator = SeededGenerator(seed: 8)
        for trial in 0..<6 {
            let points = ReferenceSorting.randomFront(4 + trial, dimension: 4, generator: &generator)
            let estimate = Hypervolume.of(points, reference: [1, 1, 1, 1], samples: 200_000, seed: UInt64(trial))
            let exact = Self.inclusionExclusion(points, reference: [1, 1, 1, 1])
            #expect(!estimate.isExact)
            let error = try! #require(estimate.standardError)
            #expect(error > 0 && error < 0.01 * exact + 1e-3)
            #expect(abs(estimate.value - exact) < 4.5 * error, "trial \(trial): \(estimate) vs \(exact)")
        }
        // Nothing inside the reference box is exactly nothing.
        #expect(Hypervolume.of([[2, 0, 0, 0]], reference: [1, 1, 1, 1]) == .exact(0))
        // Deterministic for a seed.
        let points = ReferenceSorting.randomFront(5, dimension: 5, generator: &generator)
        #expect(Hypervolume.of(points, reference: [1, 1, 1, 1, 1], seed: 3) == Hypervolume.of(points, reference: [1, 1, 1, 1, 1], seed: 3))
    }

    @Test func aFineSampleOfTheZDT1FrontNearsItsHypervolume() {
        // True front f2 = 1 - sqrt(f1): 1.1^2 - integral of (1 - sqrt) over [0, 1] = 1.21 - 1/3.
        let truth = 1.21 - 1.0 / 3.0
        let front = (0...10_000).map { i -> [Double] in
            let f1 = Double(i) / 10_000
            return [f1, 1 - f1.squareRoot()]
        }
        let value = Hypervolume.of(front, reference: [1.1, 1.1]).value
        #expect(value < truth && truth - value < 2e-4)
    }
}
