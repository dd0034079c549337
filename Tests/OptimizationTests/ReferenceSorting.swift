import Support

/// Deb's fast non-dominated sort exactly as published (domination counts and dominated sets),
/// the reference the efficient sort is checked against.
enum ReferenceSorting {
    static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        zip(a, b).allSatisfy { $0 <= $1 } && zip(a, b).contains { $0 < $1 }
    }

    static func fronts(_ points: [[Double]]) -> [Set<Int>] {
        let n = points.count
        var dominatedBy = [[Int]](repeating: [], count: n)
        var counts = [Int](repeating: 0, count: n)
        var current: [Int] = []
        for p in 0..<n {
            for q in 0..<n where p != q {
                if dominates(points[p], points[q]) {
                    dominatedBy[p].append(q)
                } else if dominates(points[q], points[p]) {
                    counts[p] += 1
                }
            }
            if counts[p] == 0 { current.append(p) }
        }
        var fronts: [Set<Int>] = []
        while !current.isEmpty {
            fronts.append(Set(current))
            var next: [Int] = []
            for p in current {
                for q in dominatedBy[p] {
                    counts[q] -= 1
                    if counts[q] == 0 { next.append(q) }
                }
            }
            current = next
        }
        return fronts
    }

    /// Random points with whole-number coordinates in 0..<levels, so that ties and duplicates occur.
    static func randomPoints(_ count: Int, dimension: Int, levels: Int, generator: inout SeededGenerator) -> [[Double]] {
        (0..<count).map { _ in (0..<dimension).map { _ in Double(generator.next() % UInt64(levels)) } }
    }

    /// Random mutually non-dominated points with coordinates in (0, 1).
    static func randomFront(_ count: Int, dimension: Int, generator: inout SeededGenerator) -> [[Double]] {
        var points: [[Double]] = []
        while points.count < count {
            // Points on a sphere-like surface plus noise are mostly non-dominated.
            let raw = (0..<dimension).map { _ in Double(generator.next() >> 11) * 0x1p-53 * 0.9 + 0.05 }
            points.append(raw)
        }
        return points
    }
}
