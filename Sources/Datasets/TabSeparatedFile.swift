import Foundation
import Support

/// A tab-separated file as GLUE ships its tasks: a header line naming the columns, then one row
/// a line, no quoting. Lines end in LF or CRLF; blank lines are skipped; a leading UTF-8
/// byte-order mark is not part of the first column's name.
public struct TabSeparatedFile: Sendable {
    public let url: URL
    public let header: [String]
    /// Rows with their 1-based line number in the file (for messages).
    public let rows: [(line: Int, fields: [String])]

    /// Reads `url`; throws naming the file for a file that is missing, empty or not UTF-8, and
    /// naming the line for a row whose field count differs from the header's.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw HwnasError("cannot read \(url.path): no such file or not readable")
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            throw HwnasError("\(url.path) is not UTF-8 text")
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        self.url = url
        var header: [String]?
        var rows: [(line: Int, fields: [String])] = []
        // By code point: "\r\n" is one Swift Character and would not split at "\n".
        for (index, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if line.unicodeScalars.last == "\r" { line.unicodeScalars.removeLast() }
            if line.isEmpty { continue }
            let fields = line.unicodeScalars.split(separator: "\t", omittingEmptySubsequences: false).map { String(Substring($0)) }
            guard let columns = header else {
                header = fields
                continue
            }
            guard fields.count == columns.count else {
                throw HwnasError("\(url.path):\(index + 1): \(fields.count) tab-separated fields; the header has \(columns.count) (\(columns.joined(separator: ", ")))")
            }
            rows.append((index + 1, fields))
        }
        guard let columns = header else { throw HwnasError("\(url.path) is empty; expected a header line and tab-separated rows") }
        self.header = columns
        self.rows = rows
    }

    /// The index of the first column named one of `names`; throws naming the file, what the
    /// column is for and the header it has.
    public func column(_ names: [String], for purpose: String) throws -> Int {
        for name in names {
            if let index = header.firstIndex(of: name) { return index }
        }
        let wanted = names.map { "'\($0)'" }.joined(separator: " or ")
        throw HwnasError("\(url.path) has no \(purpose) column: expected \(wanted) in its header (it has \(header.map { "'\($0)'" }.joined(separator: ", ")))")
    }
}
