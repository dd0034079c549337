/// Non-dominated sorting: the partition of points into Pareto fronts, front 0 holding the points
/// no other point dominates, front 1 those dominated only by front 0, and so on.
///
/// The fronts are those of Deb's fast non-dominated sort (Deb et al. 2002); they are computed
/// with the efficient non-dominated sort with binary search (ENS-BS, Zhang et al. 2015), which
/// gives the same fronts in far fewer comparisons: points are visited in lexicographic order,
/// in which a dominating point always comes before the points it dominates, and each point joins
/// the first front none of whose members dominates it. Equal points share a front.
public enum NondominatedSort {
    /// The fronts of `points` (all minimised), as indices into `points`, best front first.
    /// Within a front, indices are in lexicographic order of their points.
    public static func fronts(_ points: [[Double]]) -> [[Int]] {
        let matrix = ObjectiveMatrix(points)
        return matrix.values.withUnsafeBufferPointer { buffer in
            // Points without objectives are all equal: one front.
            guard let base = buffer.baseAddress else { return points.isEmpty ? [] : [Array(points.indices)] }
            return fronts(base, columns: matrix.columns, of: Array(points.indices))
        }
    }

    /// The front number (rank, 0 = non-dominated) of each point.
    public static func ranks(_ points: [[Double]]) -> [Int] {
        var ranks = [Int](repeating: 0, count: points.count)
        for (rank, front) in fronts(points).enumerated() {
            for i in front { ranks[i] = rank }
        }
        return ranks
    }

    /// The fronts of the rows `items` of the row-major matrix at `base`.
    static func fronts(_ base: UnsafePointer<Double>, columns: Int, of items: [Int]) -> [[Int]] {
        let order = items.sorted { ObjectiveMatrix.lexicographicallyPrecedes(base, $0, $1, columns: columns) }
        if columns == 3 || columns == 4 { return packedFronts(base, columns: columns, order: order) }
        var fronts: [[Int]] = []
        for p in order {
            let point = base + p * columns
            // Binary search for the first front that does not dominate p: if some front
            // dominates p, so does every front before it.
            var low = 0, high = fronts.count
            while low < high {
                let middle = (low + high) / 2
                if isDominated(point, by: fronts[middle], base: base, columns: columns) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            if low == fronts.count {
                fronts.append([p])
            } else {
                fronts[low].append(p)
            }
        }
        return fronts
    }

    /// ENS-BS for three or four objectives, each point packed in one SIMD4 (unused lanes equal),
    /// so that a dominance check is two vector compares and no branch: with three objectives
    /// most points share the first front, and every check against it must scan it all.
    static func packedFronts(_ base: UnsafePointer<Double>, columns: Int, order: [Int]) -> [[Int]] {
        var packed = [SIMD4<Double>](repeating: .zero, count: order.count)
        for (i, row) in order.enumerated() {
            for k in 0..<columns { packed[i][k] = base[row * columns + k] }
        }
        var fronts: [[Int]] = []
        packed.withUnsafeBufferPointer { points in
            for i in points.indices {
                let point = points[i]
                var low = 0, high = fronts.count
                while low < high {
                    let middle = (low + high) / 2
                    var dominated = false
                    for member in fronts[middle].reversed() {
                        let other = points[member]
                        if !any(other .> point) && any(other .< point) {
                            dominated = true
                            break
                        }
                    }
                    if dominated { low = middle + 1 } else { high = middle }
                }
                if low == fronts.count {
                    fronts.append([i])
                } else {
                    fronts[low].append(i)
                }
            }
        }
        return fronts.map { $0.map { order[$0] } }
    }

    /// Whether some member of `front` dominates `point`; the latest members, closest in
    /// lexicographic order, are tried first.
    @inline(__always)
    static func isDominated(_ point: UnsafePointer<Double>, by front: [Int], base: UnsafePointer<Double>, columns: Int) -> Bool {
        if columns == 2 {
            // With two objectives, in lexicographic order a front's last member has its lowest
            // second objective: if any member dominates the point, that one does.
            return DominanceRelation.dominates(base + front[front.count - 1] * 2, point, count: 2)
        }
        var i = front.count - 1
        while i >= 0 {
            if DominanceRelation.dominates(base + front[i] * columns, point, count: columns) { return true }
            i -= 1
        }
        return false
    }
}
