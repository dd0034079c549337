import Foundation
import Predictors
import Support
import Testing

@Suite struct PredictorMetricsTests {
    /// A row measured at 0 used to count as an exact prediction in the MAPE; it is now left out
    /// of the MAPE (as in the cost tables' metrics) and counted in `zeroTargetsExcluded`.
    @Test func zeroTargetsAreLeftOutOfTheMAPEAndCounted() throws {
        let m = PredictorMetrics(predicted: [77, 2, 81], measured: [70, 0, 90])
        #expect(abs(m.mape - 10) < 1e-12)
        #expect(m.zeroTargetsExcluded == 1)
        #expect(m.n == 3 && m.maxError == 9 && abs(m.mae - 6) < 1e-12)
        #expect(abs(PredictorMetrics.mape(predicted: [77, 2, 81], measured: [70, 0, 90]) - 10) < 1e-12)
        #expect(String(decoding: try JSONFormat.encode(m), as: UTF8.self).contains("\"zeroTargetsExcluded\" : 1"))
    }

    @Test func theKeyIsAbsentWithoutZeroTargetsAndOlderFilesRead() throws {
        let m = PredictorMetrics(predicted: [77, 81], measured: [70, 90])
        #expect(m.zeroTargetsExcluded == nil)
        let data = try JSONFormat.encode(m)
        #expect(!String(decoding: data, as: UTF8.self).contains("zeroTargetsExcluded"))
        #expect(try JSONDecoder().decode(PredictorMetrics.self, from: data) == m)
    }
}
