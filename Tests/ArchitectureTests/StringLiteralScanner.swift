/// The string literals of a Swift file, with their lines: enough of Swift's lexer to skip
/// comments, read escapes, raw (`#"..."#`) and multi-line literals, and the literals inside
/// interpolations (`"\(subnet["r"])"`).
struct StringLiteralScanner {
    struct Literal: Equatable {
        /// The literal's text as written between its quotes (escapes kept as written);
        /// interpolations are left out.
        var text: String
        var line: Int
    }

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private(set) var literals: [Literal] = []

    init(_ source: String) {
        bytes = Array(source.utf8)
        scanCode(insideInterpolation: false)
    }

    private func at(_ offset: Int) -> UInt8? {
        i + offset < bytes.count ? bytes[i + offset] : nil
    }

    private static let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#"), slash = UInt8(ascii: "/"),
        star = UInt8(ascii: "*"), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n"),
        open = UInt8(ascii: "("), close = UInt8(ascii: ")")

    private mutating func scanCode(insideInterpolation: Bool) {
        var depth = 0
        while let c = at(0) {
            if c == Self.newline {
                line += 1
            } else if c == Self.slash, at(1) == Self.slash {
                while let d = at(0), d != Self.newline { i += 1 }
                continue
            } else if c == Self.slash, at(1) == Self.star {
                skipBlockComment()
                continue
            } else if c == Self.quote || c == Self.hash {
                var hashes = 0
                while at(hashes) == Self.hash { hashes += 1 }
                if at(hashes) == Self.quote {
                    i += hashes
                    let multiline = at(1) == Self.quote && at(2) == Self.quote
                    i += multiline ? 3 : 1
                    scanString(hashes: hashes, multiline: multiline)
                    continue
                }
            } else if insideInterpolation, c == Self.open {
                depth += 1
            } else if insideInterpolation, c == Self.close {
                if depth == 0 { i += 1; return }
                depth -= 1
            }
            i += 1
        }
    }

    private mutating func skipBlockComment() {
        var depth = 0
        while let c = at(0) {
            if c == Self.slash, at(1) == Self.star { depth += 1; i += 2; continue }
            if c == Self.star, at(1) == Self.slash {
                depth -= 1
                i += 2
                if depth == 0 { return }
                continue
            }
            if c == Self.newline { line += 1 }
            i += 1
        }
    }

    /// From the first character after the opening delimiter to just past the closing one.
    private mutating func scanString(hashes: Int, multiline: Bool) {
        let start = line
        var text: [UInt8] = []
        while let c = at(0) {
            if c == Self.backslash, (0..<hashes).allSatisfy({ at(1 + $0) == Self.hash }) {
                if at(1 + hashes) == Self.open {
                    i += 2 + hashes
                    scanCode(insideInterpolation: true)
                    continue
                }
                text.append(contentsOf: bytes[i..<min(i + 2 + hashes, bytes.count)])
                i += 2 + hashes
                continue
            }
            let quotes = multiline ? 3 : 1
            if (0..<quotes).allSatisfy({ at($0) == Self.quote }), (0..<hashes).allSatisfy({ at(quotes + $0) == Self.hash }) {
                i += quotes + hashes
                literals.append(Literal(text: String(decoding: text, as: UTF8.self), line: start))
                return
            }
            if c == Self.newline { line += 1 }
            text.append(c)
            i += 1
        }
    }
}
