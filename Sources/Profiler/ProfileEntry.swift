/// One measured entry of a profile.
public struct ProfileEntry: Codable, Equatable, Sendable {
    public var key: String
    public var flops: Double
    public var bytes: Double
    public var stats: EntryStatistics
    /// Counter values per call, for the events that count here.
    public var counters: [String: Double]
    public var derived: DerivedFigures
    /// Times the OS took the core away while this entry was sampled.
    public var involuntaryContextSwitches: Int
    /// The PUs the measuring thread was seen on (one when pinning held).
    public var cpus: [Int]

    public init(key: String, flops: Double, bytes: Double, stats: EntryStatistics, counters: [String: Double],
                derived: DerivedFigures, involuntaryContextSwitches: Int, cpus: [Int]) {
        self.key = key
        self.flops = flops
        self.bytes = bytes
        self.stats = stats
        self.counters = counters
        self.derived = derived
        self.involuntaryContextSwitches = involuntaryContextSwitches
        self.cpus = cpus
    }
}

/// Figures computed from an entry's measurements, present only when their inputs exist.
public struct DerivedFigures: Codable, Equatable, Sendable {
    /// GFLOP/s at the median latency.
    public var gflops: Double?
    /// `gflops` as a percentage of `peakGflops`.
    public var percentOfPeak: Double?
    /// The sgemm reference measured interleaved with this entry (same threads, same minutes).
    public var peakGflops: Double?
    /// Instructions per cycle, when both hardware counters count.
    public var ipc: Double?
    /// Bytes touched per floating-point operation (arithmetic intensity's inverse).
    public var bytesPerFlop: Double?
    /// GB/s at the median latency, from `bytes`.
    public var gbs: Double?

    public init(flops: Double, bytes: Double, medianMs: Double, peakGflops: Double?, counters: [String: Double]) {
        let seconds = medianMs / 1000
        gflops = flops > 0 && seconds > 0 ? flops / seconds / 1e9 : nil
        self.peakGflops = peakGflops
        if let gflops, let peakGflops, peakGflops > 0 {
            percentOfPeak = gflops / peakGflops * 100
        }
        if let cycles = counters["PAPI_TOT_CYC"], let instructions = counters["PAPI_TOT_INS"], cycles > 0 {
            ipc = instructions / cycles
        }
        bytesPerFlop = flops > 0 ? bytes / flops : nil
        gbs = bytes > 0 && seconds > 0 ? bytes / seconds / 1e9 : nil
    }
}
