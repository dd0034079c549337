import Testing
@testable import Profiler

@Suite struct EntryStatisticsTests {
    @Test func millisecondsAndOrdering() {
        let seconds = [0.010, 0.011, 0.012, 0.013, 0.020, 0.010, 0.011, 0.012]
        let stats = EntryStatistics(secondsPerCall: seconds, callsPerSample: 1)
        #expect(stats.n == 8)
        #expect(abs(stats.minMs - 10) < 1e-9)
        #expect(stats.minMs <= stats.p10Ms && stats.p10Ms <= stats.medianMs && stats.medianMs <= stats.p90Ms)
        #expect(abs(stats.medianMs - 11.5) < 1e-9)
        #expect(stats.unstable)  // one 20 ms outlier: CV above 5%
        #expect(stats.ciHalfWidthPercent != nil)
    }

    @Test func steadySamplesAreStable() {
        let stats = EntryStatistics(secondsPerCall: (0..<30).map { 0.001 + Double($0 % 3) * 1e-6 }, callsPerSample: 4)
        #expect(!stats.unstable)
        #expect(stats.callsPerSample == 4)
        #expect(stats.cv < 0.01)
    }
}
