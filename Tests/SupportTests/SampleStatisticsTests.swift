import Foundation
import Support
import Testing

/// Order statistics against hand-computed values (NumPy's default linear interpolation).
@Suite struct SampleStatisticsTests {
    private func close(_ a: Double, _ b: Double, tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test func fourSamplesInAnyOrder() {
        let stats = SampleStatistics([4, 1, 3, 2])
        #expect(stats.n == 4)
        #expect(stats.median == 2.5)
        #expect(stats.mean == 2.5)
        #expect(stats.min == 1)
        #expect(stats.max == 4)
        // numpy.percentile([1, 2, 3, 4], 10) == 1.3, (…, 90) == 3.7
        #expect(close(stats.p10, 1.3), "p10 \(stats.p10)")
        #expect(close(stats.p90, 3.7), "p90 \(stats.p90)")
        // Sample standard deviation sqrt(5/3) over the mean 2.5.
        #expect(close(stats.cv, (5.0 / 3.0).squareRoot() / 2.5), "cv \(stats.cv)")
    }

    @Test func sameResultWhateverTheInputOrder() {
        let values: [Double] = [9, 2, 7, 4, 4, 5, 4, 5]
        #expect(SampleStatistics(values) == SampleStatistics(values.sorted()))
        #expect(SampleStatistics(values) == SampleStatistics(values.reversed()))
    }

    @Test func oddCountMedianIsTheMiddleSample() {
        let stats = SampleStatistics([5, 1, 3])
        #expect(stats.median == 3)
        // rank 0.1 * 2 = 0.2 between 1 and 3
        #expect(close(stats.p10, 1.4), "p10 \(stats.p10)")
        #expect(close(stats.p90, 4.6), "p90 \(stats.p90)")
    }

    @Test(arguments: [
        (0.0, 1.0), (10.0, 1.9), (25.0, 3.25), (50.0, 5.5), (75.0, 7.75), (90.0, 9.1), (100.0, 10.0),
    ])
    func percentileMatchesNumPy(p: Double, expected: Double) {
        let sorted = (1...10).map(Double.init)
        let value = SampleStatistics.percentile(sorted, p)
        #expect(close(value, expected), "percentile \(p) of 1...10 is \(value), NumPy gives \(expected)")
    }

    @Test func coefficientOfVariationOfAKnownSet() {
        // mean 5, sum of squared deviations 32, n - 1 = 7
        let stats = SampleStatistics([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(stats.mean == 5)
        #expect(stats.median == 4.5)
        #expect(close(stats.cv, (32.0 / 7.0).squareRoot() / 5), "cv \(stats.cv)")
    }

    @Test func singleSample() {
        let stats = SampleStatistics([7.5])
        #expect(stats.n == 1)
        #expect(stats.median == 7.5)
        #expect(stats.mean == 7.5)
        #expect(stats.min == 7.5)
        #expect(stats.max == 7.5)
        #expect(stats.p10 == 7.5)
        #expect(stats.p90 == 7.5)
        #expect(stats.cv == 0)
        #expect(SampleStatistics.percentile([3], 37) == 3)
    }

    @Test func identicalSamplesHaveNoSpread() {
        let stats = SampleStatistics([2, 2, 2, 2, 2])
        #expect(stats.cv == 0)
        #expect(stats.p10 == 2)
        #expect(stats.p90 == 2)
    }

    @Test func zeroMeanGivesZeroCVRatherThanInfinity() {
        let stats = SampleStatistics([-1, 1])
        #expect(stats.mean == 0)
        #expect(stats.cv == 0)
        #expect(stats.median == 0)
    }

    @Test func codableRoundTrip() throws {
        let stats = SampleStatistics([0.1, 0.25, 3.5, 7.125, 1e-9])
        let data = try JSONFormat.encode(stats)
        let back = try JSONDecoder().decode(SampleStatistics.self, from: data)
        #expect(back == stats)
    }
}
