import Support

/// A value of the small literal language sub-networks are written in: Python dict reprs as
/// DyNAS-T's CSVs hold them (`{'wid': None, 'ks': [3, 5], 'r': [224]}`) and JSON objects
/// (`{"ks": [3, 5], "r": 224}`) alike.
public indirect enum LiteralValue: Equatable, Sendable {
    case null
    case integer(Int)
    case number(Double)
    case string(String)
    case list([LiteralValue])
    /// Keys in written order (order matters when printing back).
    case dictionary([(String, LiteralValue)])

    public static func == (lhs: LiteralValue, rhs: LiteralValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.integer(let a), .integer(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.dictionary(let a), .dictionary(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Parses one literal; the error says what was expected and at which character.
    public static func parse(_ text: String) throws -> LiteralValue {
        var parser = Parser(text: Array(text.unicodeScalars))
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.position == parser.text.count else {
            throw HwnasError("unexpected text after the value at character \(parser.position + 1)")
        }
        return value
    }

    /// A short rendering for error messages.
    public var brief: String {
        switch self {
        case .null: "None"
        case .integer(let v): "\(v)"
        case .number(let v): "\(v)"
        case .string(let s): "'\(s)'"
        case .list(let items): "[" + items.map(\.brief).joined(separator: ", ") + "]"
        case .dictionary(let pairs): "{" + pairs.map { "'\($0.0)': \($0.1.brief)" }.joined(separator: ", ") + "}"
        }
    }

    private struct Parser {
        let text: [Unicode.Scalar]
        var position = 0

        mutating func skipSpace() {
            while position < text.count, text[position].properties.isWhitespace { position += 1 }
        }

        func fail(_ expected: String) -> HwnasError {
            if position >= text.count {
                return HwnasError("expected \(expected) but the text ended")
            }
            return HwnasError("expected \(expected) at character \(position + 1), found '\(Character(text[position]))'")
        }

        mutating func value() throws -> LiteralValue {
            guard position < text.count else { throw fail("a value") }
            let c = text[position]
            switch c {
            case "{": return try dictionary()
            case "[", "(": return try list()
            case "'", "\"": return .string(try string())
            case "-", "+", "0"..."9", ".": return try number()
            default:
                for (word, value) in [("None", LiteralValue.null), ("null", .null)] where matches(word) {
                    position += word.unicodeScalars.count
                    return value
                }
                throw fail("a value")
            }
        }

        func matches(_ word: String) -> Bool {
            let scalars = Array(word.unicodeScalars)
            guard position + scalars.count <= text.count else { return false }
            return Array(text[position..<position + scalars.count]) == scalars
        }

        mutating func dictionary() throws -> LiteralValue {
            position += 1
            var pairs: [(String, LiteralValue)] = []
            skipSpace()
            if position < text.count, text[position] == "}" { position += 1; return .dictionary(pairs) }
            while true {
                skipSpace()
                guard position < text.count, text[position] == "'" || text[position] == "\"" else { throw fail("a quoted key") }
                let key = try string()
                skipSpace()
                guard position < text.count, text[position] == ":" else { throw fail("':' after key '\(key)'") }
                position += 1
                skipSpace()
                if pairs.contains(where: { $0.0 == key }) { throw HwnasError("key '\(key)' appears twice") }
                pairs.append((key, try value()))
                skipSpace()
                guard position < text.count else { throw fail("',' or '}'") }
                if text[position] == "," { position += 1; continue }
                if text[position] == "}" { position += 1; return .dictionary(pairs) }
                throw fail("',' or '}'")
            }
        }

        mutating func list() throws -> LiteralValue {
            let close: Unicode.Scalar = text[position] == "[" ? "]" : ")"
            position += 1
            var items: [LiteralValue] = []
            skipSpace()
            if position < text.count, text[position] == close { position += 1; return .list(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard position < text.count else { throw fail("',' or '\(close)'") }
                if text[position] == "," {
                    position += 1
                    skipSpace()
                    if position < text.count, text[position] == close { position += 1; return .list(items) }
                    continue
                }
                if text[position] == close { position += 1; return .list(items) }
                throw fail("',' or '\(close)'")
            }
        }

        mutating func string() throws -> String {
            let quote = text[position]
            position += 1
            var scalars = String.UnicodeScalarView()
            while position < text.count, text[position] != quote {
                if text[position] == "\\", position + 1 < text.count { position += 1 }
                scalars.append(text[position])
                position += 1
            }
            guard position < text.count else { throw fail("a closing quote") }
            position += 1
            return String(scalars)
        }

        mutating func number() throws -> LiteralValue {
            let start = position
            while position < text.count, "+-0123456789.eE".unicodeScalars.contains(text[position]) { position += 1 }
            let token = String(String.UnicodeScalarView(text[start..<position]))
            if let integer = Int(token) { return .integer(integer) }
            if let number = Double(token) { return .number(number) }
            position = start
            throw fail("a number")
        }
    }
}
