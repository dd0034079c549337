import Foundation
import Support

/// What differs between two devices for one space: the compare JSON of DESIGN.md.
public struct DeviceComparison: Codable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var space: String
    /// The two devices, first (A) then second (B); ratios and losses read "on B versus A".
    public var devices: [String]
    /// Every block configuration both tables hold, sorted by `relative`, dearest on B first.
    public var blocks: [BlockComparison]
    /// The median of the blocks' ratios B/A: the devices' overall speed difference.
    public var medianRatio: Double
    /// Rank correlation of predicted latency over a common random sample of sub-networks.
    public var kendallTau: Double
    public var spearmanRho: Double
    public var sampleSize: Int
    public var sampleSeed: UInt64
    /// The sub-networks of the sample whose latency rank moves most.
    public var rankMoves: [RankMove]
    /// Present when both devices have Pareto sets.
    public var paretoOverlap: ParetoOverlap?
    public var hypervolumeLoss: HypervolumeLoss?
    public var accuracyLossAtBudget: [BudgetLoss]
    /// The findings in plain words, as the Markdown report states them.
    public var findings: [String]
    /// The tables and Pareto sets compared, by device.
    public var tables: [String: String]
    public var paretoSets: [String: String]
    /// The machine id of each device, from its table's descriptor (absent in older reports).
    public var machines: [String: String]?
    public var hwnasVersion: String
    public var createdAt: String

    public var first: String { devices[0] }
    public var second: String { devices[1] }

    public static func read(from url: URL) throws -> DeviceComparison {
        try JSONFormat.decodeFile(DeviceComparison.self, from: url, kind: "device comparison", schemaVersion: schemaVersion)
    }
}
