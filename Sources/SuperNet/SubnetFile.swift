import Foundation
import Support

/// Sub-networks read from a file: a DyNAS-T results CSV (column `Sub-network`, with the
/// measured columns kept) or JSON lines, one sub-network object per line.
public struct SubnetFile: Sendable {
    /// One sub-network of the file, with where it came from and the numbers the file gave it.
    public struct Row: Sendable {
        /// 1-based line in the file.
        public var line: Int
        public var subnet: Subnet
        /// The CSV's `MACs`, `Model Parameters`, `Latency (ms)` and metric columns, when present.
        public var recorded: [String: Double]
    }

    public var rows: [Row]

    /// Reads and checks every row; the first bad row throws an error naming the file, line and field.
    public init(url: URL, space: any SearchSpace) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw HwnasError("cannot read \(url.path): no such file or not readable")
        }
        var text = String(decoding: data, as: UTF8.self)
        // A UTF-8 byte-order mark (Excel, pandas' utf-8-sig) is not part of the first line.
        if text.unicodeScalars.first == CSVTable.byteOrderMark { text.unicodeScalars.removeFirst() }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw HwnasError("\(url.path) is empty; expected sub-networks") }
        if trimmed.hasPrefix("{") {
            rows = try Self.jsonLines(text, source: url.path, space: space)
        } else {
            rows = try Self.csv(text, source: url.path, space: space)
        }
        guard !rows.isEmpty else { throw HwnasError("no sub-networks in \(url.path): it holds a header only") }
    }

    static func jsonLines(_ text: String, source: String, space: any SearchSpace) throws -> [Row] {
        var rows: [Row] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            do {
                rows.append(Row(line: index + 1, subnet: try space.subnet(parsing: trimmed), recorded: [:]))
            } catch let error as HwnasError {
                throw HwnasError("\(source): line \(index + 1): \(error.message)")
            }
        }
        return rows
    }

    static func csv(_ text: String, source: String, space: any SearchSpace) throws -> [Row] {
        let table = try CSVTable(parsing: text, source: source)
        let subnetColumn = try table.column("Sub-network", source: source)
        let numeric = ["Model Parameters", "MACs", "Latency (ms)", space.metricColumn]
        let numericColumns = numeric.compactMap { name in table.header.firstIndex(of: name).map { (name, $0) } }
        return try table.rows.map { row in
            guard row.fields.count == table.header.count else {
                throw HwnasError("\(source): line \(row.line): \(row.fields.count) fields, but the header has \(table.header.count)")
            }
            let subnet: Subnet
            do {
                subnet = try space.subnet(parsing: row.fields[subnetColumn])
            } catch let error as HwnasError {
                throw HwnasError("\(source): line \(row.line): \(error.message)")
            }
            var recorded: [String: Double] = [:]
            for (name, column) in numericColumns {
                guard let value = Double(row.fields[column].trimmingCharacters(in: .whitespaces)) else {
                    throw HwnasError("\(source): line \(row.line): column '\(name)' is not a number: '\(row.fields[column])'")
                }
                recorded[name] = value
            }
            return Row(line: row.line, subnet: subnet, recorded: recorded)
        }
    }
}
