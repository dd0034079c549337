import Foundation
import Support

/// Measures the figures of `Calibration` on this machine.
public struct Calibrator {
    public var topology: Topology
    public var budget: CalibrationBudget
    /// Called with a short description of each step as it starts (for a progress line).
    public var progress: (String) -> Void

    public init(topology: Topology, budget: CalibrationBudget, progress: @escaping (String) -> Void = { _ in }) {
        self.topology = topology
        self.budget = budget
        self.progress = progress
    }

    /// Runs all four measurements: sgemm and triad, on one core and on all cores.
    public func run() throws -> Calibration {
        guard topology.isThisMachine else {
            throw HwnasError("cannot calibrate a topology loaded from XML; run on the machine itself")
        }
        let cores = topology.corePus
        guard let first = cores.first?.first else { throw HwnasError("the topology has no cores") }
        let onePerCore = cores.compactMap(\.first)
        progress("sgemm, 1 thread")
        let sgemm1 = try sgemm(order: 768, pus: [first])
        progress("sgemm, \(onePerCore.count) threads")
        let sgemmAll = try sgemm(order: 768 * 2, pus: onePerCore)
        progress("triad, 1 thread")
        let triad1 = try triad(pus: [first])
        progress("triad, \(onePerCore.count) threads")
        let triadAll = try triad(pus: onePerCore)
        return Calibration(budget: budget, sgemm1Thread: sgemm1, sgemmAllThreads: sgemmAll,
                           triad1Thread: triad1, triadAllThreads: triadAll)
    }

    /// sgemm C = A * B of square matrices, one BLAS thread per listed PU, each pinned.
    public func sgemm(order n: Int, pus: [Int]) throws -> CalibrationMeasurement {
        let samples = try PinnedDevice.run(pus: pus, topology: topology) { () -> [Double] in
            let operands = SgemmOperands(order: n)
            let flops = 2 * Double(n) * Double(n) * Double(n)
            // Warm-up: at least 3 calls and 100 ms, so the clock and caches have settled.
            let warmStart = MonotonicClock.now()
            var warmCalls = 0
            while warmCalls < 3 || MonotonicClock.seconds(since: warmStart) < 0.1 {
                operands.multiply()
                warmCalls += 1
            }
            return (0..<budget.sgemmSamples).map { _ in
                let start = MonotonicClock.now()
                operands.multiply()
                return flops / MonotonicClock.seconds(since: start) / 1e9
            }
        }
        return CalibrationMeasurement(kernel: "sgemm", unit: "GFLOP/s", size: n, threads: pus.count,
                                      pus: pus, samples: samples)
    }

    /// STREAM triad a = b + s * c over arrays much larger than the last-level cache, split
    /// evenly over one pinned thread per listed PU.
    public func triad(pus: [Int]) throws -> CalibrationMeasurement {
        let length = budget.triadLength
        let arrays = TriadArrays(length: length)
        defer { arrays.deallocate() }
        let team = PinnedTeam(pus: pus, topology: topology)
        let slices = (0..<pus.count).map { index in
            (length * index / pus.count)..<(length * (index + 1) / pus.count)
        }
        // First touch by the thread that will use each slice, then one untimed pass.
        _ = try team.run { index in arrays.initialize(slices[index]) }
        _ = try team.run { index in arrays.triad(slices[index], scalar: 3) }
        var bandwidth: [Double] = []
        for _ in 0..<budget.triadSamples {
            let seconds = try team.run { index in arrays.triad(slices[index], scalar: 3) }
            bandwidth.append(Double(3 * MemoryLayout<Double>.size * length) / seconds / 1e9)
        }
        blackHole(arrays.a[length - 1])
        return CalibrationMeasurement(kernel: "triad", unit: "GB/s", size: length, threads: pus.count,
                                      pus: pus, samples: bandwidth)
    }
}

/// The three triad arrays, shared by the threads of a team (each writes its own slice).
final class TriadArrays: @unchecked Sendable {
    let a: UnsafeMutablePointer<Double>
    let b: UnsafeMutablePointer<Double>
    let c: UnsafeMutablePointer<Double>

    init(length: Int) {
        a = .allocate(capacity: length)
        b = .allocate(capacity: length)
        c = .allocate(capacity: length)
    }

    func deallocate() {
        a.deallocate()
        b.deallocate()
        c.deallocate()
    }

    func initialize(_ range: Range<Int>) {
        for i in range {
            a[i] = 0
            b[i] = 1
            c[i] = 2
        }
    }

    @inline(never)
    func triad(_ range: Range<Int>, scalar: Double) {
        let a = self.a, b = self.b, c = self.c
        for i in range {
            a[i] = b[i] + scalar * c[i]
        }
    }
}
