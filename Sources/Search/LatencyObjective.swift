import CostModel
import Support
import SuperNet

/// Latency on one device as its cost table predicts it: the sum of the block entries through
/// the table's calibration (each entry times its slope, plus the intercept).
///
/// Blocks are looked up by value rather than by their text key, so an evaluation formats no
/// strings; the table must hold every block of the input sizes searched (checked up front).
public struct LatencyObjective: Objective {
    public let device: String
    public let provenance: String
    let space: any SearchSpace
    let settings: SpaceSettings
    let intercept: Double
    /// Each block's entry times its calibration slope.
    let milliseconds: [Block: Double]

    /// `resolutions` are the input resolutions the search may pick (nil: the table's own).
    /// Throws, naming the first missing key, when the table does not cover them.
    public init(table: CostTable, space: any SearchSpace, tablePath: String, resolutions: [Int]? = nil) throws {
        guard table.space == space.name else {
            throw HwnasError("\(tablePath) is a cost table of '\(table.space)', not '\(space.name)'")
        }
        var settings = table.settings.spaceSettings
        if let resolutions { settings.resolutions = resolutions }
        let lookup = table.lookup
        var milliseconds: [Block: Double] = [:]
        for block in space.distinctBlocks(settings: settings) {
            guard let entry = lookup[block.key] else {
                throw HwnasError("\(tablePath) has no entry '\(block.key)': the table of \(table.device) does not cover \(space.name) at \(settings.resolutions.map { "resolutions \($0.map(String.init).joined(separator: ","))" } ?? "its input size"); profile it there")
            }
            milliseconds[block] = table.slope(for: block) * entry.medianMs
        }
        self.device = table.device
        self.provenance = tablePath
        self.space = space
        self.settings = settings
        self.intercept = table.intercept
        self.milliseconds = milliseconds
    }

    public var kind: ObjectiveKind { .latency }
    public var label: String { "Latency on \(device) (ms)" }
    public var sense: ObjectiveSense { .minimize }

    public func value(of subnet: Subnet) -> Double {
        var total = 0.0
        for block in space.blocks(of: subnet, settings: settings) {
            total += milliseconds[block] ?? .nan
        }
        return intercept + total
    }
}
