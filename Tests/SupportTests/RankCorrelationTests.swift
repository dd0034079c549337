import Support
import Testing

@Suite struct RankCorrelationTests {
    @Test func rankCorrelationsOfKnownOrders() {
        #expect(RankCorrelation.kendallTau([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
        #expect(RankCorrelation.kendallTau([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        // One discordant pair of six: (5 - 1) / 6.
        #expect(abs(RankCorrelation.kendallTau([1, 2, 3, 4], [1, 3, 2, 4]) - 4.0 / 6.0) < 1e-12)
        #expect(abs(RankCorrelation.spearmanRho([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12)
        #expect(RankCorrelation.ranks([3, 1, 3, 2]) == [3.5, 1, 3.5, 2])
    }
}
