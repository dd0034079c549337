import SuperNet

/// A sub-network whose latency rank differs between two devices.
public struct RankMove: Codable, Sendable {
    public var subnet: SubnetJSON
    public var latencyMs: [String: Double]
    /// 1-based rank by predicted latency (1 = fastest) on each device.
    public var rank: [String: Int]
    /// Rank on the second device minus rank on the first.
    public var move: Int
}
