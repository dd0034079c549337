/// One workload timed for a wall-clock budget on one pinned PU, as `block-bench --time` prints
/// it (one JSON line). For `triad` only `gbs` is meaningful.
struct TimingResult: Codable {
    var key: String
    var pu: Int
    var n: Int
    var medianMs: Double
    var p10Ms: Double
    var p90Ms: Double
    var flops: Double?
    var bytes: Double?
    var gflops: Double?
    var gbs: Double?
}
