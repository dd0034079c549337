import Testing
@testable import Profiler

@Suite struct MedianIntervalTests {
    @Test func tooFewSamplesHaveNoInterval() {
        #expect(MedianInterval(sorted: [1, 2, 3, 4, 5]) == nil)
    }

    @Test func intervalOfHundredSamplesUsesRanks40And61() throws {
        // n = 100: n/2 -/+ 1.96*sqrt(100)/2 = 50 -/+ 9.8 -> ranks 40 and 61 (1-based).
        let samples = (1...100).map(Double.init)
        let interval = try #require(MedianInterval(sorted: samples))
        #expect(interval.median == 50.5)
        #expect(interval.lower == 40)
        #expect(interval.upper == 61)
        #expect(abs(interval.relativeHalfWidth - 10.5 / 50.5) < 1e-12)
    }

    @Test func identicalSamplesHaveZeroWidth() throws {
        let interval = try #require(MedianInterval(sorted: Array(repeating: 2.0, count: 20)))
        #expect(interval.relativeHalfWidth == 0)
    }

    @Test func intervalContainsTheMedian() throws {
        for n in 6...60 {
            let samples = (0..<n).map { Double(($0 * 37) % n) }.sorted()
            let interval = try #require(MedianInterval(sorted: samples))
            #expect(interval.lower <= interval.median && interval.median <= interval.upper, "n = \(n)")
        }
    }
}
