import Foundation
import Support

/// A WordPiece vocabulary: token `i` has id `i`, as in BERT's `vocab.txt` (one token a line).
///
/// Tokens are looked up by their UTF-8 bytes, not as Swift strings: Swift's string equality is
/// canonical equivalence (`é` equals `e` + U+0301), while the reference compares bytes.
public struct WordPieceVocabulary: Sendable {
    /// The tokens by id.
    public let tokens: [String]
    private let ids: [[UInt8]: Int]

    /// A vocabulary of `tokens` (id = index); throws when a token appears twice (the second
    /// would shadow the first and ids would no longer be line numbers). `source` names the
    /// tokens' file in messages.
    public init(tokens: [String], source: String) throws {
        guard !tokens.isEmpty else { throw HwnasError("\(source) holds no tokens; expected a WordPiece vocabulary, one token a line") }
        var ids: [[UInt8]: Int] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            if let first = ids.updateValue(id, forKey: Array(token.utf8)) {
                throw HwnasError("\(source): token '\(token)' appears twice (lines \(first + 1) and \(id + 1)); every token must have one id")
            }
        }
        self.tokens = tokens
        self.ids = ids
    }

    /// Reads `vocab.txt`: one token a line, line ends LF or CRLF, trailing whitespace not part of
    /// the token (as `tokenizers` reads it); line n (from 0) is id n.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw HwnasError("cannot read vocabulary \(url.path): no such file or not readable")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw HwnasError("\(url.path) is not UTF-8 text; expected a WordPiece vocabulary, one token a line")
        }
        // By code point: Swift's Character "\r\n" is one grapheme and would not split at "\n".
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let tokens = lines.map { line -> String in
            var end = line.endIndex
            while end > line.startIndex, BertCharacters.isWhitespace(line[line.index(before: end)]) {
                end = line.index(before: end)
            }
            return String(Substring(line[line.startIndex..<end]))
        }
        try self.init(tokens: tokens, source: url.path)
    }

    public var count: Int { tokens.count }

    /// The id of `token`, nil when it is not in the vocabulary.
    public func id(_ token: String) -> Int? {
        ids[Array(token.utf8)]
    }

    /// The id of the token whose UTF-8 bytes are `bytes`.
    func id(bytes: [UInt8]) -> Int? {
        ids[bytes]
    }
}
