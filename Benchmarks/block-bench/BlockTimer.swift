import Foundation
import Hardware
import Runtime
import Support
import SuperNet

/// Times one workload on one pinned PU the way the ONNX Runtime side of the bench times its
/// session (`scripts/ort_bench.py`): the same warm-up, then one clock reading around each call
/// until the budget is spent, the median of those calls. Both sides run alternately in one bench
/// run, so the host's drift hits both.
///
/// Workloads: a block (short name or key, see `PeerBlocks`), `sgemm-N` (the BLAS's sgemm of
/// order N: the same-run peak) or `triad` (STREAM triad bandwidth, quick calibration budget).
enum BlockTimer {
    /// Warm-up: at least this many calls and this long.
    static let warmupCalls = 3
    static let warmupSeconds = 0.05
    /// At least this many timed calls, however long they take.
    static let minimumCalls = 5

    static func time(_ name: String, seconds: Double, pu: Int, topology: Topology) throws -> TimingResult {
        if name == "triad" {
            let triad = try Calibrator(topology: topology, budget: .quick).triad(pus: [pu])
            return TimingResult(key: name, pu: pu, n: triad.n, medianMs: 0, p10Ms: 0, p90Ms: 0, gbs: triad.median)
        }
        return try PinnedDevice.run(pus: [pu], topology: topology) { () throws -> TimingResult in
            let (key, flops, bytes, call) = try workload(name)
            let samples = sample(call, seconds: seconds)
            let stats = SampleStatistics(samples)
            return TimingResult(key: key, pu: pu, n: stats.n, medianMs: stats.median * 1e3, p10Ms: stats.p10 * 1e3,
                                p90Ms: stats.p90 * 1e3, flops: flops, bytes: bytes, gflops: flops / stats.median / 1e9,
                                gbs: bytes / stats.median / 1e9)
        }
    }

    /// The workload's key, FLOPs and bytes per call, and the call (built on the pinned thread, so
    /// its memory is first touched there).
    static func workload(_ name: String) throws -> (String, Double, Double, () -> Void) {
        if name.hasPrefix("sgemm-"), let n = Int(name.dropFirst(6)), n > 0 {
            let operands = SgemmOperands(order: n)
            return ("reference-sgemm-\(n)", 2 * pow(Double(n), 3), 12 * Double(n * n), { operands.multiply() })
        }
        guard let block = PeerBlocks.block(named: name) else {
            throw HwnasError("no block named \(name): give a short name (\(PeerBlocks.selected.map(\.name).joined(separator: ", "))), a key of bert-base or ofa-mbv3-w1.0 at 224 px, sgemm-N or triad")
        }
        let runnable = try RunnableBlock(block, options: ExecutionOptions(batch: 1, threads: 1), seed: 1)
        return (block.key, block.flops(batch: 1), block.bytes(batch: 1), runnable.run)
    }

    /// Seconds per call, one clock reading around each call, after the warm-up.
    static func sample(_ call: () -> Void, seconds: Double) -> [Double] {
        let warmupStart = MonotonicClock.now()
        var warmed = 0
        while warmed < warmupCalls || MonotonicClock.seconds(since: warmupStart) < warmupSeconds {
            call()
            warmed += 1
        }
        var samples: [Double] = []
        let start = MonotonicClock.now()
        while samples.count < minimumCalls || MonotonicClock.seconds(since: start) < seconds {
            let t0 = MonotonicClock.now()
            call()
            samples.append(MonotonicClock.seconds(since: t0))
        }
        return samples
    }
}
