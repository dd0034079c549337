import Support

/// Which examples go into which batch, epoch after epoch: each epoch is a fresh permutation of
/// the examples drawn from the seed and the epoch number alone, cut into batches in order.
///
/// Batch `step` (counted from 0 over all epochs) is thus known without replaying the steps
/// before it, so a resumed run reads exactly the batches the interrupted one would have.
/// The shuffle is this type's own Fisher-Yates over `SeededGenerator`, not the standard
/// library's `shuffle`, whose algorithm may change between Swift releases.
public struct BatchSchedule: Equatable, Sendable {
    /// Examples in one epoch.
    public let count: Int
    public let batchSize: Int
    public let seed: UInt64
    /// Whether an epoch's last, smaller batch is left out.
    public let dropLast: Bool

    /// Throws when there is nothing to batch or the batch size is below 1.
    public init(count: Int, batchSize: Int, seed: UInt64, dropLast: Bool = false) throws {
        guard batchSize >= 1 else { throw HwnasError("batch size \(batchSize): it must be at least 1") }
        guard count >= 1 else { throw HwnasError("no examples to batch") }
        guard !dropLast || count >= batchSize else {
            throw HwnasError("\(count) examples make no full batch of \(batchSize)")
        }
        self.count = count
        self.batchSize = batchSize
        self.seed = seed
        self.dropLast = dropLast
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int {
        dropLast ? count / batchSize : (count + batchSize - 1) / batchSize
    }

    /// The order of the examples in `epoch` (from 0): a permutation of 0..<count.
    public func permutation(epoch: Int) -> [Int] {
        var generator = SeededGenerator(seed: Self.mix(seed &+ Self.mix(UInt64(truncatingIfNeeded: epoch) &+ 1)))
        var order = Array(0..<count)
        var index = count - 1
        while index > 0 {
            let other = Int(Self.uniform(below: UInt64(index + 1), using: &generator))
            order.swapAt(index, other)
            index -= 1
        }
        return order
    }

    /// The epoch of batch `step` and the examples of that batch, in batch order.
    public func batch(step: Int) -> (epoch: Int, indices: [Int]) {
        let epoch = step / batchesPerEpoch
        return (epoch, batches(epoch: epoch)[step % batchesPerEpoch])
    }

    /// The batches of `epoch`, each a list of example indices.
    public func batches(epoch: Int) -> [[Int]] {
        let order = permutation(epoch: epoch)
        return (0..<batchesPerEpoch).map { batch in
            Array(order[batch * batchSize..<min(count, (batch + 1) * batchSize)])
        }
    }

    /// A uniform integer in 0..<bound without modulo bias (rejection of the short last interval).
    static func uniform(below bound: UInt64, using generator: inout SeededGenerator) -> UInt64 {
        let threshold = (0 &- bound) % bound
        while true {
            let value = generator.next()
            if value >= threshold { return value % bound }
        }
    }

    /// SplitMix64's finaliser: the epochs' generators start from unrelated states rather than
    /// neighbouring ones.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
