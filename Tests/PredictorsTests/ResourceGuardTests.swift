import Foundation
import Support
import Testing
@testable import Predictors

/// Sizes refused before anything is allocated: kernel ridge fits, accuracy files.
@Suite struct ResourceGuardTests {
    @Test func kernelRidgeBudgetRefusesWhatCannotFitOrFinish() throws {
        let small = KernelRidgeBudget(rows: 2_000, folds: 5, gridPoints: 16, concurrentFits: 2)
        #expect(small.factorisations == 16 * 15 + 1)
        try small.check(memoryBytes: 16e9)
        // 100,000 rows: the issue's 20 GB distance matrix alone, and far more for the fits.
        let huge = KernelRidgeBudget(rows: 100_000, folds: 5, gridPoints: 16, concurrentFits: 2)
        #expect(huge.peakBytes > 2e10)
        #expect { try huge.check(memoryBytes: 16e9) } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains("100000 rows") && message.contains("16.0 GB") && message.contains("--kind ridge")
        }
        // The row limit binds when memory does not; more folds mean more and larger fits.
        let slow = KernelRidgeBudget(rows: 12_000, folds: 5, gridPoints: 16, concurrentFits: 2)
        #expect { try slow.check(memoryBytes: 1e15) } throws: { error in
            (error as? HwnasError)?.message.contains("at most 10000 rows at 5 folds, not 12000") == true
        }
        #expect(KernelRidgeBudget(rows: 1, folds: 10, gridPoints: 16).maximumRows < 10_000)
        let fits = KernelRidgeBudget(rows: 1, folds: 5, gridPoints: 16, concurrentFits: 2).maximumRows(memoryBytes: 16e9)
        #expect(KernelRidgeBudget(rows: fits, folds: 5, gridPoints: 16, concurrentFits: 2).peakBytes <= 16e9)
        #expect(KernelRidgeBudget(rows: fits + 10, folds: 5, gridPoints: 16, concurrentFits: 2).peakBytes > 16e9)
    }

    @Test func crossValidationRefusesBeforeAllocatingDistances() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try SyntheticAccuracyCSV.write(SyntheticAccuracyCSV().rows(count: 10_001), named: "big.csv", in: folder)
        let data = try AccuracyData(space: SyntheticAccuracyCSV().space, files: [url])
        let error = try #require(throws: HwnasError.self) { try CrossValidation(data: data, settings: PredictorSettings()) }
        #expect(error.message.contains("not 10001"), "message: \(error.message)")
        // Ridge alone has no such limit.
        _ = try CrossValidation(data: data, settings: PredictorSettings(kinds: [.ridge]))
    }

    @Test func accuraciesOutsideZeroToHundredAreRefused() throws {
        let folder = try SyntheticAccuracyCSV.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var rows = SyntheticAccuracyCSV().rows(count: 5)
        for value in ["-5", "500", "1e300"] {
            rows[1] = rows[1].replacingOccurrences(of: #",[^,]*$"#, with: "," + value, options: .regularExpression)
            let url = try SyntheticAccuracyCSV.write(rows, named: "a.csv", in: folder)
            #expect { try AccuracyData(space: SyntheticAccuracyCSV().space, files: [url]) } throws: { error in
                let message = (error as? HwnasError)?.message ?? ""
                return message.contains("line 3") && message.contains("'Top-1 Acc (%)'") && message.contains("0 to 100")
            }
        }
        // Fractions of 1 are accuracies too.
        rows[1] = rows[1].replacingOccurrences(of: #",[^,]*$"#, with: ",0.75", options: .regularExpression)
        _ = try AccuracyData(space: SyntheticAccuracyCSV().space, files: [SyntheticAccuracyCSV.write(rows, named: "a.csv", in: folder)])
    }
}
