import CostModel
import Support
import SuperNet

/// Latency on one device as its cost table predicts it: the sum of the block entries through
/// the table's calibration, with the same arithmetic as `CostTable.predict` (so a sub-network's
/// latency here and in a report agree to the last bit).
///
/// Blocks are looked up by value rather than by their text key, so an evaluation formats no
/// strings; the table must hold every block of the input sizes searched (checked up front).
public struct LatencyObjective: Objective {
    public let device: String
    public let provenance: String
    let space: any SearchSpace
    let settings: SpaceSettings
    let calibration: LinearCalibration
    /// Per-kind slopes, when the table has them: the kinds sorted, each kind's slope.
    let kindSlopes: [Double]?
    let intercept: Double
    /// Each block's entry and the index of its kind in the sorted kinds.
    let entries: [Block: (ms: Double, kind: Int)]

    /// `resolutions` are the input resolutions the search may pick (nil: the table's own).
    /// Throws, naming the first missing key, when the table does not cover them.
    public init(table: CostTable, space: any SearchSpace, tablePath: String, resolutions: [Int]? = nil) throws {
        guard table.space == space.name else {
            throw HwnasError("\(tablePath) is a cost table of '\(table.space)', not '\(space.name)'")
        }
        var settings = table.settings.spaceSettings
        if let resolutions { settings.resolutions = resolutions }
        let lookup = table.lookup
        let blocks = space.distinctBlocks(settings: settings)
        let kinds = Set(blocks.map { CalibrationKind.of($0, batch: table.settings.batch) }).sorted()
        let kindIndex = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
        var entries: [Block: (ms: Double, kind: Int)] = [:]
        for block in blocks {
            guard let entry = lookup[block.key] else {
                throw HwnasError("\(tablePath) has no entry '\(block.key)': the table of \(table.device) does not cover \(space.name) at \(settings.resolutions.map { "resolutions \($0.map(String.init).joined(separator: ","))" } ?? "its input size"); profile it there")
            }
            entries[block] = (entry.medianMs, kindIndex[CalibrationKind.of(block, batch: table.settings.batch)]!)
        }
        self.device = table.device
        self.provenance = tablePath
        self.space = space
        self.settings = settings
        self.calibration = table.calibration ?? .identity
        self.kindSlopes = table.kindCalibration.map { k in kinds.map { k.slope(kind: $0) } }
        self.intercept = table.kindCalibration?.b ?? 0
        self.entries = entries
    }

    public var kind: ObjectiveKind { .latency }
    public var label: String { "Latency on \(device) (ms)" }
    public var sense: ObjectiveSense { .minimize }

    public func value(of subnet: Subnet) -> Double {
        guard let kindSlopes else {
            var total = 0.0
            for block in space.blocks(of: subnet, settings: settings) {
                total += entries[block]?.ms ?? .nan
            }
            return calibration.apply(total)
        }
        var sums = [Double](repeating: 0, count: kindSlopes.count)
        for block in space.blocks(of: subnet, settings: settings) {
            guard let entry = entries[block] else { return .nan }
            sums[entry.kind] += entry.ms
        }
        return kindSlopes.indices.reduce(intercept) { $0 + kindSlopes[$1] * sums[$1] }
    }
}
