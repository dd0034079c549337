import CPapi
import Foundation
import Support

/// Finds out which counter events really count on this machine.
///
/// A name PAPI knows may still not count: in a virtual machine without a PMU, hardware presets
/// such as `PAPI_TOT_CYC` exist in PAPI's table but fail to add with `PAPI_ENOEVNT`. The only
/// trustworthy test is to add each event alone to a set, count a small workload, and read it.
public enum EventProbe {
    /// The events asked about by default: cycles, instructions, cache misses, floating point,
    /// and the kernel's software events, which count even without a PMU.
    public static let defaultEvents = [
        "PAPI_TOT_CYC", "PAPI_TOT_INS", "PAPI_L1_DCM", "PAPI_L2_DCM", "PAPI_L3_TCM",
        "PAPI_FP_OPS", "PAPI_VEC_SP",
        "perf::TASK-CLOCK", "perf::PAGE-FAULTS", "perf::CONTEXT-SWITCHES", "perf::CPU-MIGRATIONS",
    ]

    /// Probes each event on the calling thread. Throws for an unknown event name.
    public static func probe(_ names: [String]) throws -> [EventAvailability] {
        try PAPILibrary.initialize()
        try EventSet.checkKnown(names)
        return try names.map { name in
            let set = try EventSet(events: [name])
            if let rejected = set.rejected.first {
                return rejected
            }
            do {
                try set.start()
                workload()
                let values = try set.stop()
                return EventAvailability(name: name, counts: true, reason: nil, probeValue: values.first ?? 0)
            } catch let error as HwnasError {
                return EventAvailability(name: name, counts: false, reason: error.message, probeValue: nil)
            }
        }
    }

    /// About a millisecond of arithmetic and memory traffic that touches fresh pages, so that
    /// cycle, instruction, cache, floating-point and page-fault events all have something to count.
    static func workload() {
        let count = 1 << 18
        // mmap rather than malloc: malloc may hand back pages this process touched before,
        // and then there would be no page fault to count.
        let bytes = count * MemoryLayout<Float>.size
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else { return }
        defer { munmap(raw, bytes) }
        let buffer = raw.bindMemory(to: Float.self, capacity: count)
        var x: Float = 1
        for i in stride(from: 0, to: count, by: 16) {
            x = x * 1.000001 + 0.5
            buffer[i] = x
        }
        var sum: Float = 0
        for i in stride(from: 0, to: count, by: 16) {
            sum += buffer[i] * 0.5
        }
        blackHole(sum)
    }
}
