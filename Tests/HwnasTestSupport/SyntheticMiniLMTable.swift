import CostModel
import Foundation
import SuperNet

/// A minilm-l6 cost table of a test device, built from a synthetic profile: each block costs
/// 0.02 ms plus its MACs at 10 GMAC/s, attention `attentionScale` times that.
public enum SyntheticMiniLMTable {
    /// The table, as built from a profile at `profile` (default: a path under /tmp).
    public static func table(device: String = "test-t1", attentionScale: Double = 1, profile profileURL: URL? = nil) throws -> CostTable {
        let space = MiniLML6Space()
        let profile = SyntheticProfile.make(space: space, settings: space.defaultSettings, device: device) { block in
            let ms = 0.02 + Double(block.macs) / 1e7
            if case .attention = block { return ms * attentionScale }
            return ms
        }
        return try CostTable(profiles: [(profileURL ?? URL(fileURLWithPath: "/tmp/\(device).minilm-l6.profile.json"), profile)])
    }
}
