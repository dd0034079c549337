import Support

/// The hypervolume of a set of points (all objectives minimised): the measure of the region they
/// dominate, bounded by a reference point. It says, in one number, how close to the true front
/// and how spread out a set is; larger is better.
///
/// Exact for one, two and three objectives; for four or more, a Monte Carlo estimate that says
/// so and carries its standard error (exactly 0 when no point counts). Points that do not
/// strictly dominate the reference point in every objective add nothing and are ignored.
public enum Hypervolume: Hashable, Sendable {
    /// The exact hypervolume.
    case exact(Double)
    /// A Monte Carlo estimate, from `samples` uniform draws in the box between the points'
    /// lowest values and the reference point, with its standard error.
    case estimate(Double, standardError: Double, samples: Int)

    /// The value, exact or estimated.
    public var value: Double {
        switch self {
        case .exact(let value), .estimate(let value, _, _): value
        }
    }

    /// The standard error of an estimate; `nil` for an exact value.
    public var standardError: Double? {
        switch self {
        case .exact: nil
        case .estimate(_, let error, _): error
        }
    }

    public var isExact: Bool { standardError == nil }

    /// The hypervolume of `points` with respect to `reference`.
    ///
    /// `samples` and `seed` set the Monte Carlo estimate used for four or more objectives
    /// (deterministic for a seed); they are ignored below that.
    public static func of(_ points: [[Double]], reference: [Double], samples: Int = 100_000, seed: UInt64 = 1) -> Hypervolume {
        let dimension = reference.count
        let inside = points.filter { point in
            precondition(point.count == dimension, "a point of \(point.count) objectives against a reference of \(dimension)")
            return zip(point, reference).allSatisfy { $0 < $1 }
        }
        // Nothing inside the reference box: exactly nothing, in any dimension.
        if inside.isEmpty { return .exact(0) }
        switch dimension {
        case 0: return .exact(0)
        case 1: return .exact(inside.map { reference[0] - $0[0] }.max() ?? 0)
        case 2: return .exact(exact2D(inside, reference: reference))
        case 3: return .exact(exact3D(inside, reference: reference))
        default: return monteCarlo(inside, reference: reference, samples: samples, seed: seed)
        }
    }

    /// Sort by the first objective and sweep: each point that lowers the best second objective
    /// so far adds the rectangle between it, the reference and that previous best.
    static func exact2D(_ points: [[Double]], reference: [Double]) -> Double {
        let sorted = points.sorted { $0[0] < $1[0] || ($0[0] == $1[0] && $0[1] < $1[1]) }
        var area = 0.0, best = reference[1]
        for point in sorted where point[1] < best {
            area += (reference[0] - point[0]) * (best - point[1])
            best = point[1]
        }
        return area
    }

    /// Slices along the third objective: points enter a two-dimensional staircase in increasing
    /// order of their third value, and between consecutive values the volume grows by the
    /// staircase's area times the slab's thickness. O(n^2) in the worst case, exact.
    static func exact3D(_ points: [[Double]], reference: [Double]) -> Double {
        let sorted = points.sorted { $0[2] < $1[2] }
        // The staircase: x increasing, y strictly decreasing.
        var xs: [Double] = [], ys: [Double] = []
        var area = 0.0, volume = 0.0
        for (i, point) in sorted.enumerated() {
            let x = point[0], y = point[1]
            // First staircase step with xs >= x.
            var low = 0, high = xs.count
            while low < high {
                let middle = (low + high) / 2
                if xs[middle] < x { low = middle + 1 } else { high = middle }
            }
            let position = low
            let covered = (position > 0 && ys[position - 1] <= y) || (position < xs.count && xs[position] == x && ys[position] <= y)
            if !covered {
                var end = position
                while end < xs.count && ys[end] >= y { end += 1 }
                xs.replaceSubrange(position..<end, with: [x])
                ys.replaceSubrange(position..<end, with: [y])
                area = 0
                for j in xs.indices {
                    let next = j + 1 < xs.count ? xs[j + 1] : reference[0]
                    area += (next - xs[j]) * (reference[1] - ys[j])
                }
            }
            let top = i + 1 < sorted.count ? sorted[i + 1][2] : reference[2]
            volume += area * (top - point[2])
        }
        return volume
    }

    static func monteCarlo(_ points: [[Double]], reference: [Double], samples: Int, seed: UInt64) -> Hypervolume {
        precondition(samples > 0, "a Monte Carlo hypervolume needs samples")
        let dimension = reference.count
        let lower = (0..<dimension).map { k in points.map { $0[k] }.min()! }
        let box = zip(lower, reference).reduce(1.0) { $0 * ($1.1 - $1.0) }
        // Sorted by the first objective, the scan for a dominating point stops early.
        let matrix = ObjectiveMatrix(points.sorted { $0[0] < $1[0] })
        var generator = SeededGenerator(seed: seed)
        var sample = [Double](repeating: 0, count: dimension)
        var hits = 0
        matrix.values.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let rows = matrix.rows
            for _ in 0..<samples {
                for k in 0..<dimension {
                    sample[k] = lower[k] + (reference[k] - lower[k]) * generator.nextUnitDouble()
                }
                rows: for r in 0..<rows {
                    let point = base + r * dimension
                    if point[0] > sample[0] { break }
                    for k in 1..<dimension where point[k] > sample[k] { continue rows }
                    hits += 1
                    break
                }
            }
        }
        let share = Double(hits) / Double(samples)
        let error = box * (share * (1 - share) / Double(samples)).squareRoot()
        return .estimate(box * share, standardError: error, samples: samples)
    }
}
