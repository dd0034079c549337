/// Crowding distance (Deb et al. 2002): how isolated each point of one front is, so that
/// NSGA-II keeps a front spread out when it must drop some of its points.
///
/// For each objective the points are sorted; the two extreme points get an infinite distance and
/// every other point adds the gap between its two neighbours divided by the objective's range.
/// An objective in which all points are equal adds nothing to anyone (pymoo does the same).
/// A front of one or two points is all extreme: every distance is infinite. Unlike pymoo, the
/// sum is not divided by the number of objectives; the order, the only thing used, is the same.
public enum CrowdingDistance {
    /// The crowding distance of each of `points`, which should form one front.
    public static func of(_ points: [[Double]]) -> [Double] {
        let matrix = ObjectiveMatrix(points)
        var distances = [Double](repeating: .infinity, count: points.count)
        matrix.values.withUnsafeBufferPointer { buffer in
            distances.withUnsafeMutableBufferPointer { out in
                guard let base = buffer.baseAddress else { return }
                compute(base, columns: matrix.columns, front: Array(points.indices), into: out.baseAddress!)
            }
        }
        return distances
    }

    /// Writes the crowding distance of the rows `front` of the row-major matrix at `base` to
    /// `distances[0..<front.count]`.
    static func compute(_ base: UnsafePointer<Double>, columns: Int, front: [Int], into distances: UnsafeMutablePointer<Double>) {
        let n = front.count
        if n <= 2 {
            for j in 0..<n { distances[j] = .infinity }
            return
        }
        for j in 0..<n { distances[j] = 0 }
        // (value, position) pairs: sorting them reads no other memory, and ties keep their
        // position order (like pymoo's stable mergesort).
        var column = [(value: Double, position: Int)](repeating: (0, 0), count: n)
        for k in 0..<columns {
            for j in 0..<n { column[j] = (base[front[j] * columns + k], j) }
            column.sort { $0.value < $1.value || ($0.value == $1.value && $0.position < $1.position) }
            let range = column[n - 1].value - column[0].value
            guard range > 0 else { continue }
            distances[column[0].position] = .infinity
            distances[column[n - 1].position] = .infinity
            for j in 1..<(n - 1) {
                distances[column[j].position] += (column[j + 1].value - column[j - 1].value) / range
            }
        }
    }
}
