import Datasets
import Foundation
import Support
import Testing

/// The BERT uncased tokenizer on a small vocabulary whose ids are known by hand: each case
/// states what `tokenizers` does with the same `tokenizer.json` settings (scripts/tokenizer-check
/// compares the two on all of SST-2 with the real vocabulary).
@Suite struct WordPieceTokenizerTests {
    static let tokens = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "cafe", "the", "un", "##aff", "##able",
        "a", "b", "!", ",", ".", "中", "国", "hello", "world", "##s", "x", "##x", "'", "$", "na",
        "##ive", "οσ", "is", "ok", "-", "«", "»", "hello©", "ᄒ", "##ᅡ", "##ᆫ",
    ]

    static let tokenizer: WordPieceTokenizer = {
        try! WordPieceTokenizer(vocabulary: WordPieceVocabulary(tokens: tokens, source: "test vocabulary"), source: "test vocabulary")
    }()

    /// The tokens (not ids) of `text`, [CLS] and [SEP] left out.
    static func pieces(_ text: String, maxLength: Int? = nil) -> [String] {
        let tokenized = tokenizer.encode(text, maxLength: maxLength)
        #expect(tokenized.tokens.first == "[CLS]" && tokenized.tokens.last == "[SEP]")
        #expect(tokenized.ids == tokenized.tokens.map { tokens.firstIndex(of: $0)! })
        return Array(tokenized.tokens.dropFirst().dropLast())
    }

    @Test func addsClassifierAndSeparatorIDs() {
        let tokenized = Self.tokenizer.encode("Hello, world!")
        #expect(tokenized.ids == [2, 17, 13, 18, 12, 3])
        #expect(tokenized.tokens == ["[CLS]", "hello", ",", "world", "!", "[SEP]"])
        #expect(Self.tokenizer.encode("").ids == [2, 3])
        #expect(Self.tokenizer.encode(" \t ").ids == [2, 3])
    }

    @Test func lowerCasesAndStripsAccents() {
        #expect(Self.pieces("CAFÉ") == ["cafe"])
        #expect(Self.pieces("Café") == ["cafe"])
        // Already decomposed: e + combining acute.
        #expect(Self.pieces("cafe\u{301}") == ["cafe"])
        #expect(Self.pieces("Naïve") == ["na", "##ive"])
        // Lower-cased one code point at a time: a final capital sigma becomes σ, not ς.
        #expect(Self.pieces("ΟΣ") == ["οσ"])
        // NFD splits a Hangul syllable into its letters (not marks: they stay).
        #expect(Self.pieces("한") == ["ᄒ", "##ᅡ", "##ᆫ"])
    }

    @Test func splitsPunctuationIntoWordsOfTheirOwn() {
        #expect(Self.pieces("the cafe's") == ["the", "cafe", "'", "[UNK]"])
        #expect(Self.pieces("a$b") == ["a", "$", "b"])
        #expect(Self.pieces("ok-ok...") == ["ok", "-", "ok", ".", ".", "."])
        // « and » are Unicode punctuation (Pi, Pf): split off.
        #expect(Self.pieces("«hello»") == ["«", "hello", "»"])
        // © is a symbol (So), not punctuation: it stays inside the word.
        #expect(Self.pieces("hello©") == ["hello©"])
    }

    @Test func splitsCJKIdeographs() {
        #expect(Self.pieces("中国") == ["中", "国"])
        #expect(Self.pieces("a中b") == ["a", "中", "b"])
    }

    @Test func continuesWordsWithDoubleHash() {
        #expect(Self.pieces("unaffable") == ["un", "##aff", "##able"])
        #expect(Self.pieces("worlds") == ["world", "##s"])
        #expect(Self.pieces("xxx") == ["x", "##x", "##x"])
    }

    @Test func unknownWordsBecomeOneUnknownToken() {
        #expect(Self.pieces("zebra") == ["[UNK]"])
        // A word whose rest matches nothing is [UNK] whole, not its first pieces.
        #expect(Self.pieces("unaffablez") == ["[UNK]"])
        #expect(Self.pieces("hello zebra world") == ["hello", "[UNK]", "world"])
    }

    @Test func wordsLongerThanOneHundredCharactersAreUnknown() {
        let hundred = Self.pieces(String(repeating: "x", count: 100))
        #expect(hundred.count == 100 && hundred.first == "x" && hundred.dropFirst().allSatisfy { $0 == "##x" })
        #expect(Self.pieces(String(repeating: "x", count: 101)) == ["[UNK]"])
        // Counted in code points after normalisation: 101 accented letters are 101, not 202.
        #expect(Self.pieces(String(repeating: "X", count: 100) + "\u{301}") == Array(["x"] + Array(repeating: "##x", count: 99)))
        #expect(Self.pieces("a " + String(repeating: "x", count: 101) + " b") == ["a", "[UNK]", "b"])
    }

    @Test func removesControlCharactersAndMapsWhitespace() {
        #expect(Self.pieces("hel\u{0}lo") == ["hello"])
        #expect(Self.pieces("hel\u{7}lo") == ["hello"])
        #expect(Self.pieces("hel\u{FFFD}lo") == ["hello"])
        // Format characters (Cf): zero-width space, soft hyphen.
        #expect(Self.pieces("hel\u{200B}lo wor\u{AD}ld") == ["hello", "world"])
        #expect(Self.pieces("hello\tworld\r\nhello\u{A0}world\u{3000}the") == ["hello", "world", "hello", "world", "the"])
        // Vertical tab and form feed are controls first: removed, not spaces.
        #expect(Self.pieces("hello\u{B}world") == ["[UNK]"])
        // Private use (Co) is removed too, in every plane.
        #expect(Self.pieces("hel\u{E000}lo hel\u{E123}lo hel\u{10FFFD}lo") == ["hello", "hello", "hello"])
    }

    @Test func classifiesCodePointsAsUnicode8Did() {
        // The reference's tables are Unicode 8.0's; assigned later, U+061D (Po) is no
        // punctuation there, U+07FD (Mn) no mark to strip, U+0890 (Cf) no format character.
        #expect(Self.pieces("a\u{61D}b") == ["[UNK]"])
        #expect(Self.pieces("cafe\u{7FD}") == ["[UNK]"])
        #expect(Self.pieces("hel\u{890}lo") == ["[UNK]"])
        // Unicode 8.0 punctuation and marks of 8.0 are what they were then.
        #expect(Self.pieces("a\u{2E3B}b") == ["a", "[UNK]", "b"])
        #expect(Self.pieces("cafe\u{8E3}") == ["cafe"])
        // U+166D was punctuation (Po) in 8.0 and is a symbol (So) today: split, as then.
        #expect(Self.pieces("a\u{166D}b") == ["a", "[UNK]", "b"])
    }

    @Test func keepsSpecialTokensWrittenInTheText() {
        #expect(Self.pieces("hello [MASK] world") == ["hello", "[MASK]", "world"])
        #expect(Self.pieces("hello[SEP]world") == ["hello", "[SEP]", "world"])
        // Matched before normalisation, so case matters.
        #expect(Self.pieces("[mask]") == ["[UNK]", "[UNK]", "[UNK]"])
    }

    @Test func truncatesKeepingClassifierAndSeparator() {
        let text = "hello world the cafe"
        #expect(Self.pieces(text, maxLength: 4) == ["hello", "world"])
        #expect(Self.tokenizer.encode(text, maxLength: 4).ids == [2, 17, 18, 3])
        #expect(Self.pieces(text, maxLength: 2) == [])
        #expect(Self.pieces(text, maxLength: 6) == ["hello", "world", "the", "cafe"])
        #expect(Self.pieces(text, maxLength: 100) == ["hello", "world", "the", "cafe"])
        // Word pieces are cut too, and special tokens count.
        #expect(Self.pieces("unaffable", maxLength: 4) == ["un", "##aff"])
        #expect(Self.pieces("hello [MASK] world", maxLength: 4) == ["hello", "[MASK]"])
    }

    @Test func refusesAVocabularyWithoutBERTsSpecialTokens() throws {
        let vocabulary = try WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "a"], source: "v.txt")
        #expect(throws: HwnasError("v.txt has no [SEP] token; expected a BERT WordPiece vocabulary")) {
            try WordPieceTokenizer(vocabulary: vocabulary, source: "v.txt")
        }
    }

    // MARK: - The pre-trained model's vocabulary

    @Test(.enabled(if: TestFiles.hasModel, "needs the model make setup fetches"))
    func matchesKnownIDsOfTheModelsVocabulary() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TestFiles.model.appendingPathComponent("vocab.txt"))
        #expect(tokenizer.vocabulary.count == 30522)
        let specials: [Int] = [tokenizer.paddingID, tokenizer.unknownID, tokenizer.classifierID, tokenizer.separatorID]
        #expect(specials == [0, 100, 101, 102])
        #expect(tokenizer.encode("Hello world").ids == [101, 7592, 2088, 102])
        #expect(tokenizer.encode("I have a new GPU!").tokens == ["[CLS]", "i", "have", "a", "new", "gp", "##u", "!", "[SEP]"])
    }
}
