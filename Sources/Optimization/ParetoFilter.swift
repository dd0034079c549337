/// The non-dominated subset of a set of points (all objectives minimised).
public enum ParetoFilter {
    /// Indices of the points no other point dominates, in the order of `points`. Of several
    /// equal non-dominated points only the first is kept unless `keepingDuplicates`.
    public static func nondominatedIndices(_ points: [[Double]], keepingDuplicates: Bool = false) -> [Int] {
        let matrix = ObjectiveMatrix(points)
        return matrix.values.withUnsafeBufferPointer { buffer in
            // Points without objectives are all equal.
            guard let base = buffer.baseAddress else { return keepingDuplicates ? Array(points.indices) : Array(points.indices.prefix(1)) }
            return nondominatedIndices(base, columns: matrix.columns, of: Array(points.indices), keepingDuplicates: keepingDuplicates)
        }
    }

    /// The non-dominated points themselves, duplicates removed, in the order of `points`.
    public static func nondominated(_ points: [[Double]]) -> [[Double]] {
        nondominatedIndices(points).map { points[$0] }
    }

    /// The non-dominated rows among `items` of the row-major matrix at `base`, in the order of `items`.
    static func nondominatedIndices(_ base: UnsafePointer<Double>, columns: Int, of items: [Int], keepingDuplicates: Bool) -> [Int] {
        // Stable lexicographic order of positions in `items`: a dominating point comes first,
        // and of equal points the earliest, which is the one kept.
        let order = items.indices.sorted { a, b in
            if ObjectiveMatrix.lexicographicallyPrecedes(base, items[a], items[b], columns: columns) { return true }
            if ObjectiveMatrix.lexicographicallyPrecedes(base, items[b], items[a], columns: columns) { return false }
            return a < b
        }
        var kept: [Int] = []
        if columns == 2 {
            // In lexicographic order a point is non-dominated exactly when its second objective
            // is below every earlier one's (or equals the last kept point, as its duplicate).
            var lowest = Double.infinity
            for a in order {
                let point = base + items[a] * 2
                if point[1] < lowest {
                    kept.append(a)
                    lowest = point[1]
                } else if keepingDuplicates, let last = kept.last, point[1] == lowest,
                          base[items[last] * 2] == point[0] {
                    kept.append(a)
                }
            }
            return kept.sorted().map { items[$0] }
        }
        candidates: for a in order {
            let point = base + items[a] * columns
            // A point dominated by anything is dominated by a kept point (which comes earlier).
            for b in kept.reversed() {
                let other = base + items[b] * columns
                if DominanceRelation.dominates(other, point, count: columns) { continue candidates }
                if !keepingDuplicates && (0..<columns).allSatisfy({ other[$0] == point[$0] }) { continue candidates }
            }
            kept.append(a)
        }
        return kept.sorted().map { items[$0] }
    }
}
