import CostModel
import Foundation
import Support
import SuperNet

/// Writes the exports of a cost table into a device folder: `<space>.lut.csv`, and for
/// Once-for-All one folder per variant holding `<r>_lookup_table.yaml` per resolution, the
/// names Once-for-All's `Mbv3LatencyModel` opens (`<folder>/<r>_lookup_table.yaml`).
struct TableExporter {
    var table: CostTable
    /// The table file, named in the YAML headers.
    var source: String
    var folder: URL

    /// The folder a Once-for-All variant goes into: `<space>.ofa-yaml` or `<space>.ofa-yaml-calibrated`.
    func onceForAllFolder(_ format: TablesCommand.ExportFormat) -> URL {
        folder.appendingPathComponent("\(table.space).\(format.rawValue)", isDirectory: true)
    }

    /// Writes every format; returns the paths written.
    func write(_ formats: [TablesCommand.ExportFormat]) throws -> [String] {
        var written: [String] = []
        for format in formats {
            switch format {
            case .csv:
                let url = folder.appendingPathComponent("\(table.space).lut.csv")
                try AtomicFile.write(table.csv(), to: url)
                written.append(url.relativePath)
            case .ofaYAML, .ofaYAMLCalibrated:
                guard let ofa = try SearchSpaces.named(table.space) as? OFAMobileNetV3Space else {
                    throw HwnasError("--export \(format.rawValue) is for ofa-mbv3-w1.0 tables; \(source) is a table of \(table.space)")
                }
                let texts = try table.onceForAllYAML(space: ofa, calibrated: format == .ofaYAMLCalibrated, source: source)
                let target = onceForAllFolder(format)
                var names = Set<String>()
                for (resolution, text) in texts {
                    let url = target.appendingPathComponent("\(resolution)_lookup_table.yaml")
                    try AtomicFile.write(text, to: url)
                    names.insert(url.lastPathComponent)
                    written.append(url.relativePath)
                }
                try removeStaleTables(in: target, keeping: names)
            }
        }
        return written
    }

    /// A table of a resolution this export no longer has would be loaded by Once-for-All as if
    /// it belonged to it: remove `<r>_lookup_table.yaml` files left by an earlier export.
    func removeStaleTables(in target: URL, keeping names: Set<String>) throws {
        let present = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
        for name in present where !names.contains(name) && name.hasSuffix("_lookup_table.yaml")
            && Int(name.dropLast("_lookup_table.yaml".count)) != nil {
            try FileManager.default.removeItem(at: target.appendingPathComponent(name))
        }
    }
}
