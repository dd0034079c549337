@testable import Datasets
import Foundation
import Support
import Testing

/// Batches padded to their longest sequence, and the epoch schedule: permutations that depend
/// on the seed and the epoch alone, cut into batches that cover every example once an epoch.
@Suite struct BatchTests {
    @Test func padsToTheLongestSequence() {
        let batch = Batch(sequences: [[101, 7, 102], [101, 102], [101, 5, 6, 8, 102]], labels: [1, 0, 1], paddingID: 0)
        #expect(batch.count == 3 && batch.length == 5)
        #expect(batch.inputIDs == [101, 7, 102, 0, 0, 101, 102, 0, 0, 0, 101, 5, 6, 8, 102])
        #expect(batch.attentionMask == [1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1])
        #expect(batch.tokenTypeIDs == Array(repeating: 0, count: 15))
        #expect(batch.lengths == [3, 2, 5] && batch.labels == [1, 0, 1])
        #expect(Array(batch.row(1)) == [101, 102, 0, 0, 0])
        #expect(Batch(sequences: [[1, 2]], paddingID: 9).inputIDs == [1, 2])
        #expect(Batch(sequences: [[1], [1, 2]], paddingID: 9).inputIDs == [1, 9, 1, 2])
        #expect(Batch(sequences: []).inputIDs.isEmpty)
    }

    @Test func eachEpochIsAPermutationFixedBySeedAndEpoch() throws {
        let schedule = try BatchSchedule(count: 1_000, batchSize: 32, seed: 7)
        let first = schedule.permutation(epoch: 0)
        #expect(first.sorted() == Array(0..<1_000))
        #expect(first != Array(0..<1_000))
        #expect(try BatchSchedule(count: 1_000, batchSize: 32, seed: 7).permutation(epoch: 0) == first)
        let second = schedule.permutation(epoch: 1)
        #expect(second.sorted() == Array(0..<1_000) && second != first)
        #expect(try BatchSchedule(count: 1_000, batchSize: 32, seed: 8).permutation(epoch: 0) != first)
        // Not a rotation or shift of another epoch's order: few positions agree by chance.
        #expect(zip(first, second).filter { $0 == $1 }.count < 10)
    }

    @Test func theShuffleIsTheSameOnEveryPlatform() throws {
        // Fixed by this type's own Fisher-Yates over SplitMix64; a change here changes every run.
        let schedule = try BatchSchedule(count: 10, batchSize: 4, seed: 1)
        let order = schedule.permutation(epoch: 0)
        #expect(order.sorted() == Array(0..<10))
        #expect(schedule.permutation(epoch: 0) == order)
        var generator = SeededGenerator(seed: BatchSchedule.mix(1 &+ BatchSchedule.mix(1)))
        var expected = Array(0..<10)
        for index in stride(from: 9, to: 0, by: -1) {
            expected.swapAt(index, Int(BatchSchedule.uniform(below: UInt64(index + 1), using: &generator)))
        }
        #expect(order == expected)
    }

    @Test func uniformDrawsStayBelowTheBoundAndCoverIt() {
        var generator = SeededGenerator(seed: 3)
        var seen = Set<UInt64>()
        for _ in 0..<2_000 {
            let value = BatchSchedule.uniform(below: 7, using: &generator)
            #expect(value < 7)
            seen.insert(value)
        }
        #expect(seen.count == 7)
        #expect(BatchSchedule.uniform(below: 1, using: &generator) == 0)
    }

    @Test func batchesCoverEveryExampleOnceAnEpoch() throws {
        let schedule = try BatchSchedule(count: 100, batchSize: 32, seed: 11)
        #expect(schedule.batchesPerEpoch == 4)
        let batches = schedule.batches(epoch: 2)
        #expect(batches.map(\.count) == [32, 32, 32, 4])
        #expect(batches.flatMap { $0 } == schedule.permutation(epoch: 2))
        #expect(schedule.batch(step: 9).epoch == 2 && schedule.batch(step: 9).indices == batches[1])
        let dropping = try BatchSchedule(count: 100, batchSize: 32, seed: 11, dropLast: true)
        #expect(dropping.batchesPerEpoch == 3 && dropping.batches(epoch: 0).map(\.count) == [32, 32, 32])
        #expect(dropping.batch(step: 3).epoch == 1)
        // SST-2's train split in batches of 32.
        #expect(try BatchSchedule(count: 65_349, batchSize: 32, seed: 1).batchesPerEpoch == 2_043)
    }

    @Test func refusesSchedulesWithoutBatches() {
        #expect(throws: HwnasError("batch size 0: it must be at least 1")) { try BatchSchedule(count: 5, batchSize: 0, seed: 1) }
        #expect(throws: HwnasError("no examples to batch")) { try BatchSchedule(count: 0, batchSize: 2, seed: 1) }
        #expect(throws: HwnasError("3 examples make no full batch of 4")) { try BatchSchedule(count: 3, batchSize: 4, seed: 1, dropLast: true) }
    }

    /// The order is pinned: scripts/torch_bert.py reproduces it in Python so that PyTorch trains
    /// on the same batches in the benches; a change here must change it there too.
    @Test func theOrderIsPinnedForThePythonPort() throws {
        let schedule = try BatchSchedule(count: 65_349, batchSize: 32, seed: 1)
        #expect(Array(schedule.batch(step: 0).indices.prefix(5)) == [35616, 61267, 55132, 45226, 61042])
        #expect(Array(schedule.batch(step: 2043).indices.prefix(3)) == [35129, 54350, 29772])
    }
}
