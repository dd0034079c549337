import Support

/// A k-fold split that keeps every copy of a sub-network in one fold.
///
/// DyNAS-T's CSVs hold some sub-networks several times, measured again with slightly different
/// accuracy; a split by rows would test a model on networks it was trained on and flatter it.
/// Groups are given as keys (the sub-network's identity); they are ordered by key, shuffled with
/// the seed, and dealt round-robin to the folds, so the split depends on the set of networks and
/// the seed only, not on the order of the rows or files, and fold sizes differ by at most one
/// network.
public struct GroupedFolds: Equatable, Sendable {
    /// Number of folds.
    public let count: Int
    /// The fold of each row, `0..<count`.
    public let fold: [Int]
    /// Distinct groups (networks).
    public let groups: Int

    /// `keys[i]` identifies row i's group; throws when there are fewer groups than folds.
    public init<Key: Hashable & Comparable>(keys: [Key], count: Int, seed: UInt64) throws {
        guard count >= 2 else { throw HwnasError("cross-validation needs at least 2 folds, not \(count)") }
        let distinct = Array(Set(keys)).sorted()
        guard distinct.count >= count else {
            throw HwnasError("\(distinct.count) distinct sub-network\(distinct.count == 1 ? "" : "s") cannot fill \(count) folds; give more measured sub-networks or fewer --folds")
        }
        var order = Array(distinct.indices)
        var generator = SeededGenerator(seed: seed)
        // Fisher–Yates with the project's generator: the same split on every platform and toolchain.
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        var foldOfGroup = [Key: Int](minimumCapacity: distinct.count)
        for (position, groupIndex) in order.enumerated() { foldOfGroup[distinct[groupIndex]] = position % count }
        self.count = count
        groups = distinct.count
        fold = keys.map { foldOfGroup[$0]! }
    }

    /// Rows of fold `k`.
    public func rows(in k: Int) -> [Int] {
        fold.indices.filter { fold[$0] == k }
    }

    /// Rows outside every fold in `excluded`: a training set.
    public func rows(outside excluded: Set<Int>) -> [Int] {
        fold.indices.filter { !excluded.contains(fold[$0]) }
    }
}
