/// Points stored row by row in one flat array, so that sorting and dominance checks read
/// contiguous memory and allocate nothing per comparison.
struct ObjectiveMatrix {
    /// `rows * columns` values, row `i` at `i * columns ..< (i + 1) * columns`.
    var values: [Double]
    var columns: Int

    init(columns: Int, capacity: Int = 0) {
        self.columns = columns
        values = []
        values.reserveCapacity(capacity * columns)
    }

    init(_ points: [[Double]]) {
        columns = points.first?.count ?? 0
        values = []
        values.reserveCapacity(points.count * columns)
        for point in points {
            precondition(point.count == columns, "points of different dimension")
            values.append(contentsOf: point)
        }
    }

    var rows: Int { columns == 0 ? 0 : values.count / columns }

    subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    func row(_ i: Int) -> [Double] {
        Array(values[i * columns ..< (i + 1) * columns])
    }

    /// Whether row `a` is lexicographically before row `b` (the order in which a dominating
    /// row always comes before the rows it dominates).
    @inline(__always)
    static func lexicographicallyPrecedes(_ base: UnsafePointer<Double>, _ a: Int, _ b: Int, columns: Int) -> Bool {
        let pa = base + a * columns, pb = base + b * columns
        for k in 0..<columns {
            if pa[k] < pb[k] { return true }
            if pa[k] > pb[k] { return false }
        }
        return false
    }
}
