import Foundation

/// A CSV file read into a header and rows (RFC 4180: quoted fields may hold commas, quotes
/// doubled, and line breaks), as DyNAS-T writes its results.
///
/// Lines may end in LF, CRLF or a lone CR (old Mac and Excel files); a leading UTF-8 byte-order
/// mark (Excel, pandas' `utf-8-sig`) is not part of the first column's name.
public struct CSVTable: Sendable {
    public var header: [String]
    /// Rows with their 1-based line number in the file (for error messages).
    public var rows: [(line: Int, fields: [String])]

    /// Parses CSV text; the first record is the header. Throws for an unterminated quote.
    public init(parsing text: String, source: String) throws {
        var records: [(Int, [String])] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == Self.byteOrderMark { scalars.removeFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func nextScalar() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = nextScalar() {
            if inQuotes {
                if c == "\"" {
                    if let n = nextScalar() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\r" {
                        // CRLF counts once; a lone CR is a line break of its own.
                        if let n = nextScalar() { pending = n }
                        if pending != "\n" { line += 1 }
                    }
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            var c = c
            if c == "\r" {
                // CRLF and a lone CR (old Mac line ends) both end the record.
                if let n = nextScalar(), n != "\n" { pending = n }
                c = "\n"
            }
            switch c {
            case "\"": inQuotes = true
            case ",": fields.append(field); field = ""
            case "\n":
                fields.append(field)
                field = ""
                if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                fields = []
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            throw HwnasError("\(source): line \(recordLine): a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((recordLine, fields))
        }
        guard let first = records.first else {
            throw HwnasError("\(source) is empty; expected a CSV header")
        }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = records.dropFirst().map { (line: $0.0, fields: $0.1) }
    }

    /// U+FEFF, which some writers put first in a UTF-8 file.
    public static let byteOrderMark: Unicode.Scalar = "\u{FEFF}"

    /// The index of a column, or an error naming the file and the columns it has.
    public func column(_ name: String, source: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw HwnasError("\(source) has no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return index
    }
}

extension CSVTable {
    /// A field as CSV writes it: quoted, quotes doubled, when it holds a comma, quote or line break.
    public static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
