import Foundation
import Support

/// What kernel ridge regression's cross-validation costs on `rows` rows, estimated before
/// anything is allocated, and the refusal of a fit that cannot finish.
///
/// Memory: the rows' pairwise distances (2 bytes each, n x n) are held for the whole fit, and
/// every fit running at once holds its training rows' distances, kernel matrix and Cholesky
/// factor (2 + 8 + 8 bytes per pair); the final fit on all rows does the same at n. Time: each
/// fit factors its kernel matrix, which takes a third of m^3 multiply-adds for m training rows,
/// once per grid point and per fold and pair of folds left out.
public struct KernelRidgeBudget: Sendable {
    public let rows: Int
    public let folds: Int
    public let gridPoints: Int
    /// Fits running at once (one per processor).
    public let concurrentFits: Int

    /// The most rows a fit takes at 5 folds: 1,819 rows take 5 s on two Zen 3 cores in a release
    /// build and time grows with the cube of the rows, so 10,000 rows take about a quarter hour
    /// and 20,000 two hours.
    public static let maximumRowsAtFiveFolds = 10_000

    public init(rows: Int, folds: Int, gridPoints: Int, concurrentFits: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.rows = rows
        self.folds = folds
        self.gridPoints = gridPoints
        self.concurrentFits = max(1, concurrentFits)
    }

    /// Matrix factorisations of the nested cross-validation and the final fit.
    public var factorisations: Int { gridPoints * (folds + folds * (folds - 1) / 2) + 1 }

    /// Peak bytes of the fit.
    public var peakBytes: Double {
        let n = Double(rows), k = Double(folds)
        let largestTraining = n * (k - 1) / k
        let jobs = Double(min(concurrentFits, max(1, factorisations - 1)))
        return max(2 * n * n + jobs * 18 * largestTraining * largestTraining, 20 * n * n)
    }

    /// Work of the cross-validation relative to n^3: the folds' factorisations summed.
    static func relativeWork(folds: Int) -> Double {
        let k = Double(folds)
        return k * pow((k - 1) / k, 3) + k * (k - 1) / 2 * pow((k - 2) / k, 3)
    }

    /// The most rows whose fit takes no longer than `maximumRowsAtFiveFolds` at 5 folds.
    public var maximumRows: Int {
        Int(Double(Self.maximumRowsAtFiveFolds) * pow(Self.relativeWork(folds: 5) / Self.relativeWork(folds: folds), 1.0 / 3))
    }

    /// The most rows whose fit fits in `memoryBytes`.
    public func maximumRows(memoryBytes: Double) -> Int {
        let k = Double(folds)
        let share = (k - 1) / k
        let jobs = Double(min(concurrentFits, max(1, factorisations - 1)))
        let perPair = max(2 + jobs * 18 * share * share, 20)
        return Int((memoryBytes / perPair).squareRoot())
    }

    /// Throws when the fit would not fit in `memoryBytes` (this machine's memory by default) or
    /// would take longer than `maximumRows` allow, saying why and what to do instead.
    public func check(memoryBytes: Double = Double(ProcessInfo.processInfo.physicalMemory)) throws {
        let remedy = "fit ridge regression only (`hwnas predictor fit --kind ridge`, linear in the rows), or give fewer rows"
        if peakBytes > memoryBytes {
            throw HwnasError("kernel ridge regression on \(rows) rows would need about \(Self.gigabytes(peakBytes)) (n x n kernel matrices for \(concurrentFits) fit\(concurrentFits == 1 ? "" : "s") at once), more than this machine's \(Self.gigabytes(memoryBytes)) of memory, which holds at most \(maximumRows(memoryBytes: memoryBytes)) rows: \(remedy)")
        }
        if rows > maximumRows {
            throw HwnasError("kernel ridge regression takes at most \(maximumRows) rows at \(folds) folds, not \(rows): its cross-validation factors \(factorisations) kernel matrices of up to \(rows * (folds - 1) / folds) rows, and the time grows with the cube of the rows (1,819 rows take 5 s on two cores, 10,000 about a quarter hour at 5 folds): \(remedy)")
        }
    }

    static func gigabytes(_ bytes: Double) -> String {
        bytes >= 1e12 ? String(format: "%.1f TB", bytes / 1e12) : String(format: "%.1f GB", bytes / 1e9)
    }
}
