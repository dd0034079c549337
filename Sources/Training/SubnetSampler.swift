/// Draws the sub-network an InstaTune step trains beside the full network.
///
/// A draw is a pure function of the sampler and the step (counter-based, as dropout masks are):
/// a run resumed at step s draws what the uninterrupted run drew, and the sampler's state in a
/// checkpoint is what built it (its `fingerprint`), checked again on resume. Samplers that need
/// more than Training knows (a device's cost table) live in higher modules.
public protocol SubnetSampler: Sendable {
    /// `uniform`, `latency`: what the run log calls the sampling.
    var kind: String { get }
    /// Identifies the draws: the same fingerprint draws the same sub-networks at every step.
    var fingerprint: String { get }
    /// The sub-network of training step `step` (0-based).
    func draw(step: Int) -> SampledSubnet
}

/// One draw of a sampler.
public struct SampledSubnet: Codable, Equatable, Sendable {
    public var shape: SubnetShape
    /// The latency the sampler aimed at and the one its cost table predicts for `shape`, when
    /// the sampling is steered by a device's table (milliseconds).
    public var targetLatencyMs: Double?
    public var predictedLatencyMs: Double?

    public init(shape: SubnetShape, targetLatencyMs: Double? = nil, predictedLatencyMs: Double? = nil) {
        self.shape = shape
        self.targetLatencyMs = targetLatencyMs
        self.predictedLatencyMs = predictedLatencyMs
    }
}
