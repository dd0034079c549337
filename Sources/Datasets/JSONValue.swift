/// A JSON document as a tree whose objects keep their members in file order, duplicates
/// included: Foundation's parser keeps one of two equal keys silently, and a safetensors header
/// naming a tensor twice must be refused, not half-read.
///
/// Numbers keep their text, so that byte offsets beyond 2^53 are read exactly or refused.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    struct Member: Equatable, Sendable {
        var key: String
        var value: JSONValue
    }

    /// What the value is, for messages ("a string", "an array").
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as an integer, when it is a number written without fraction or exponent that
    /// fits in `Int`.
    var integer: Int? {
        guard case .number(let text) = self else { return nil }
        return Int(text)
    }

    /// Parses UTF-8 JSON text (RFC 8259). Throws `JSONValue.SyntaxError` with the byte offset.
    static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> JSONValue where Bytes.Element == UInt8 {
        var parser = Parser(bytes: Array(bytes))
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else {
            throw SyntaxError(offset: parser.position, message: "unexpected \(parser.describeNext()) after the end of the document")
        }
        return value
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var offset: Int
        var message: String
        var description: String { "\(message) at byte \(offset)" }
    }

    /// A recursive-descent parser over bytes; nesting deeper than `maximumDepth` is refused
    /// rather than allowed to exhaust the stack.
    private struct Parser {
        let bytes: [UInt8]
        var position = 0
        static let maximumDepth = 128

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        func describeNext() -> String {
            guard position < bytes.count else { return "end of text" }
            let byte = bytes[position]
            return byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }

        func error(_ message: String) -> SyntaxError {
            SyntaxError(offset: position, message: message)
        }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
                position += 1
            }
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
            guard position < bytes.count else { throw error("unexpected end of text") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("unexpected \(describeNext())")
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected else {
                throw error("unexpected \(describeNext())")
            }
            position += expected.count
        }

        mutating func object(depth: Int) throws -> JSONValue {
            position += 1
            var members: [Member] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in quotes, found \(describeNext())")
                }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after member name \"\(key)\", found \(describeNext())")
                }
                position += 1
                skipWhitespace()
                members.append(Member(key: key, value: try value(depth: depth + 1)))
                skipWhitespace()
                guard position < bytes.count else { throw error("unterminated object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "}") else { throw error("expected ',' or '}', found \(describeNext())") }
                position += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws -> JSONValue {
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard position < bytes.count else { throw error("unterminated array") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "]") else { throw error("expected ',' or ']', found \(describeNext())") }
                position += 1
                return .array(elements)
            }
        }

        mutating func number() throws -> String {
            let start = position
            func digits() -> Int {
                let first = position
                while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                    position += 1
                }
                return position - first
            }
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") else {
                throw error("expected a digit, found \(describeNext())")
            }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else {
                _ = digits()
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw error("expected a digit after '.', found \(describeNext())") }
            }
            if position < bytes.count, bytes[position] | 0x20 == 0x65 {  // e or E
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digits() > 0 else { throw error("expected a digit in the exponent, found \(describeNext())") }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func string() throws -> String {
            let start = position
            position += 1
            var text: [UInt8] = []
            while true {
                guard position < bytes.count else {
                    position = start
                    throw error("unterminated string")
                }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    break
                }
                if byte < 0x20 { throw error("control character 0x\(String(byte, radix: 16)) inside a string") }
                if byte != UInt8(ascii: "\\") {
                    text.append(byte)
                    position += 1
                    continue
                }
                position += 1
                guard position < bytes.count else { throw error("unterminated escape") }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case 0x72: text.append(0x0D)  // \r
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate \\u\(String(code, radix: 16))")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate \\u\(String(code, radix: 16))") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw error("unpaired surrogate \\u\(String(code, radix: 16))")
                    }
                    text.append(contentsOf: Array(String(Character(Unicode.Scalar(code)!)).utf8))
                default:
                    position -= 1
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(escaped)))'")
                }
            }
            guard let decoded = String(validating: text, as: UTF8.self) else {
                position = start
                throw error("a string that is not valid UTF-8")
            }
            return decoded
        }

        mutating func hex4() throws -> UInt32 {
            guard bytes.count - position >= 4 else { throw error("truncated \\u escape") }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hexadecimal digit in \\u escape")
                }
                code = code * 16 + digit
                position += 1
            }
            return code
        }
    }
}

extension JSONValue {
    /// `text` as a JSON string literal, escaped as serde_json escapes (quote, backslash and
    /// control characters; nothing else), so that headers match the reference writer's bytes.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
