import Datasets
import Foundation
import Support
import Testing

/// vocab.txt: id = line number, line ends and trailing whitespace as the reference reads them,
/// and files that cannot be a vocabulary refused by name.
@Suite struct WordPieceVocabularyTests {
    @Test func idsAreLineNumbers() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TestFiles.write("[PAD]\r\nhello \nworld\n\n##s\t\n", to: "vocab.txt", in: folder)
        let vocabulary = try WordPieceVocabulary(contentsOf: url)
        #expect(vocabulary.tokens == ["[PAD]", "hello", "world", "", "##s"])
        #expect(vocabulary.id("world") == 2 && vocabulary.id("##s") == 4 && vocabulary.id("nope") == nil)
    }

    @Test func looksUpByBytesNotByCanonicalEquivalence() throws {
        let vocabulary = try WordPieceVocabulary(tokens: ["caf\u{E9}"], source: "v")
        #expect(vocabulary.id("caf\u{E9}") == 0)
        #expect(vocabulary.id("cafe\u{301}") == nil)
    }

    @Test func refusesDuplicatesAndFilesThatAreNoVocabulary() throws {
        #expect(throws: HwnasError("v.txt: token 'a' appears twice (lines 1 and 3); every token must have one id")) {
            try WordPieceVocabulary(tokens: ["a", "b", "a"], source: "v.txt")
        }
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("vocab.txt")
        try Data([0x61, 0x0A, 0xFF, 0xFE]).write(to: binary)
        #expect(throws: HwnasError("\(binary.path) is not UTF-8 text; expected a WordPiece vocabulary, one token a line")) {
            try WordPieceVocabulary(contentsOf: binary)
        }
        let missing = folder.appendingPathComponent("none.txt")
        #expect(throws: HwnasError("cannot read vocabulary \(missing.path): no such file or not readable")) {
            try WordPieceVocabulary(contentsOf: missing)
        }
        let empty = try TestFiles.write("", to: "empty.txt", in: folder)
        #expect(throws: HwnasError("\(empty.path) holds no tokens; expected a WordPiece vocabulary, one token a line")) {
            try WordPieceVocabulary(contentsOf: empty)
        }
    }
}
