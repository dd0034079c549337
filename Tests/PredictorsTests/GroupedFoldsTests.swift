import Support
import Testing
@testable import Predictors

/// Grouped folds: copies together, balanced, deterministic for a seed, independent of row order.
@Suite struct GroupedFoldsTests {
    /// 30 networks, some measured up to four times, rows shuffled.
    static let keys: [String] = {
        var keys: [String] = []
        for network in 0..<30 { keys += Array(repeating: "net\(network)", count: 1 + network % 4) }
        var generator = SeededGenerator(seed: 11)
        keys.shuffle(using: &generator)
        return keys
    }()

    @Test func everyCopyOfANetworkSitsInOneFold() throws {
        let folds = try GroupedFolds(keys: Self.keys, count: 5, seed: 1)
        #expect(folds.groups == 30)
        var foldOf: [String: Int] = [:]
        for (key, fold) in zip(Self.keys, folds.fold) {
            #expect(foldOf[key, default: fold] == fold)
            foldOf[key] = fold
        }
        // Networks are dealt evenly: six per fold.
        for k in 0..<5 { #expect(Set(folds.rows(in: k).map { Self.keys[$0] }).count == 6) }
        #expect(folds.rows(outside: [0, 1]).count + folds.rows(in: 0).count + folds.rows(in: 1).count == Self.keys.count)
    }

    @Test func theSameSeedGivesTheSameSplitWhateverTheRowOrder() throws {
        let a = try GroupedFolds(keys: Self.keys, count: 5, seed: 7)
        let b = try GroupedFolds(keys: Self.keys, count: 5, seed: 7)
        #expect(a == b)
        let reversed = try GroupedFolds(keys: Array(Self.keys.reversed()), count: 5, seed: 7)
        #expect(Array(reversed.fold.reversed()) == a.fold)
        let other = try GroupedFolds(keys: Self.keys, count: 5, seed: 8)
        #expect(other.fold != a.fold)
    }

    @Test func tooFewNetworksForTheFoldsIsAnError() throws {
        #expect(throws: HwnasError("3 distinct sub-networks cannot fill 5 folds; give more measured sub-networks or fewer --folds")) {
            try GroupedFolds(keys: ["a", "b", "c", "a"], count: 5, seed: 1)
        }
        let error = try #require(throws: HwnasError.self) { try GroupedFolds(keys: ["a", "b"], count: 1, seed: 1) }
        #expect(error.message.contains("at least 2 folds, not 1"), "message: \(error.message)")
    }
}
