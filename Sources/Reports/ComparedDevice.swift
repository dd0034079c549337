import CostModel
import Foundation
import Profiler
import Search

/// One side of a comparison: a device's cost table of the space, its Pareto set when there is
/// one, and the per-block counters of the profiles the table was built from.
public struct ComparedDevice: Sendable {
    public var id: String
    public var table: CostTable
    public var tablePath: String
    public var pareto: ParetoSet?
    public var paretoPath: String?
    /// Counters per call by block key, then event; empty when the profiles are not at hand.
    public var counters: [String: [String: Double]]

    public init(id: String, table: CostTable, tablePath: String, pareto: ParetoSet? = nil, paretoPath: String? = nil,
                counters: [String: [String: Double]] = [:]) {
        self.id = id
        self.table = table
        self.tablePath = tablePath
        self.pareto = pareto
        self.paretoPath = paretoPath
        self.counters = counters
    }

    /// Reads the counters of the profiles a table lists, when those files are still there: at
    /// the path recorded, else beside the table (a device folder copied from another machine).
    public static func counters(ofProfiles paths: [String], tablePath: String) -> [String: [String: Double]] {
        var result: [String: [String: Double]] = [:]
        let folder = URL(fileURLWithPath: tablePath).deletingLastPathComponent()
        for path in paths {
            let candidates = [URL(fileURLWithPath: path), folder.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent)]
            guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
                  let profile = try? Profile.read(from: url) else { continue }
            for entry in profile.entries where !entry.counters.isEmpty {
                result[entry.key] = entry.counters
            }
        }
        return result
    }
}
