/// One-hot rows held column by column, so that the columns one sub-network shares with every
/// row come out of a few dense byte-vector additions (one per hot column) instead of a loop
/// over rows and columns.
///
/// For one-hot rows the squared Euclidean distance is an integer,
/// `|x - t|² = ones(x) + ones(t) - 2 shared(x, t)`, so an RBF kernel needs no per-pair
/// arithmetic beyond a table look-up: that is what makes a kernel model over ~1,500 training
/// points cheap enough to call 20,000 times in a search.
public struct SharedColumnIndex: Sendable {
    /// The rows indexed.
    public let count: Int
    /// Columns of the one-hot space.
    public let width: Int
    /// `indicator[c * count + t]` is 1 when row t has column c.
    let indicator: [UInt8]
    /// Hot columns of each row.
    public let ones: [Int32]

    public init(rows: [[Int32]], width: Int) {
        count = rows.count
        self.width = width
        var indicator = [UInt8](repeating: 0, count: width * rows.count)
        for (t, row) in rows.enumerated() {
            for column in row { indicator[Int(column) * rows.count + t] = 1 }
        }
        self.indicator = indicator
        ones = rows.map { Int32($0.count) }
    }

    /// Writes `|x - t|²` for every row t into `distances` (`count` entries).
    public func squaredDistances(to hotColumns: [Int32], into distances: UnsafeMutableBufferPointer<UInt16>) {
        precondition(distances.count >= count)
        let n = count
        guard n > 0 else { return }
        let d = distances.baseAddress!
        d.update(repeating: 0, count: n)
        indicator.withUnsafeBufferPointer { indicator in
            for column in hotColumns where column >= 0 && Int(column) < width {
                let source = indicator.baseAddress! + Int(column) * n
                for t in 0..<n { d[t] &+= UInt16(source[t]) }
            }
        }
        let own = Int32(hotColumns.count)
        ones.withUnsafeBufferPointer { ones in
            for t in 0..<n { d[t] = UInt16(truncatingIfNeeded: own + ones[t] - 2 * Int32(d[t])) }
        }
    }

    /// `|x - t|²` for every row t.
    public func squaredDistances(to hotColumns: [Int32]) -> [UInt16] {
        [UInt16](unsafeUninitializedCapacity: count) { buffer, initialised in
            squaredDistances(to: hotColumns, into: buffer)
            initialised = count
        }
    }

    /// All pairwise squared distances among the rows, row-major `count x count`.
    public func pairwiseSquaredDistances(rows: [[Int32]]) -> [UInt16] {
        precondition(rows.count == count)
        var result = [UInt16](repeating: 0, count: count * count)
        result.withUnsafeMutableBufferPointer { buffer in
            for (i, row) in rows.enumerated() {
                squaredDistances(to: row, into: UnsafeMutableBufferPointer(rebasing: buffer[(i * count)..<((i + 1) * count)]))
            }
        }
        return result
    }
}
