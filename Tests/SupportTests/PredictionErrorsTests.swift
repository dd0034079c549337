import Support
import Testing

@Suite struct PredictionErrorsTests {
    @Test func handExample() {
        let e = PredictionErrors(predicted: [100, 104, 90, 130], measured: [100, 100, 100, 100])
        #expect(abs(e.meanAbsolutePercent - (0 + 4 + 10 + 30) / 4) < 1e-12)
        #expect(e.maxAbsolutePercent == 30)
        #expect(e.sharePercent(within: 5) == 50)
        #expect(e.sharePercent(within: 10) == 75)
        #expect(e.meanAbsolute == 11)
        #expect(e.maxAbsolute == 30)
        #expect(abs(e.rootMeanSquared - ((16.0 + 100 + 900) / 4).squareRoot()) < 1e-12)
        #expect(e.zeroTargetsExcluded == 0 && e.zeroTargetsExcludedIfAny == nil)
    }

    /// A zero target has no percentage error: it is left out of every percentage figure and
    /// counted, not taken as exact (which would flatter the MAPE) nor divided by (infinity).
    @Test func zeroTargetsAreLeftOutAndCounted() {
        let e = PredictionErrors(predicted: [110, 5, 90], measured: [100, 0, 100])
        #expect(e.zeroTargetsExcluded == 1 && e.zeroTargetsExcludedIfAny == 1)
        #expect(e.percent == [10, 10])
        #expect(e.meanAbsolutePercent == 10)
        #expect(e.sharePercent(within: 10) == 100)
        // Absolute figures keep every row.
        #expect(e.meanAbsolute == 25.0 / 3)
        #expect(e.maxAbsolute == 10)
    }

    @Test func onlyZeroTargetsGiveNoPercentages() {
        let e = PredictionErrors(predicted: [1, 2], measured: [0, 0])
        #expect(e.zeroTargetsExcluded == 2)
        #expect(e.meanAbsolutePercent == 0 && e.maxAbsolutePercent == 0 && e.sharePercent(within: 5) == 0)
    }
}
