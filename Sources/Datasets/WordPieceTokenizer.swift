import Foundation
import Support

/// BERT uncased tokenisation, id for id as Hugging Face `tokenizers` tokenises with a BERT
/// `tokenizer.json` (BertNormalizer, BertPreTokenizer, WordPiece, `[CLS] text [SEP]`).
///
/// The steps: the special tokens (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`) written in the
/// raw text are kept as they are; the rest is normalised (`BertNormalizer`), split into words
/// (`BertPreTokenizer`), and each word into the longest vocabulary entries from its start
/// (greedy longest match first), pieces after the first written with `##`. A word longer than
/// 100 code points, or one that no sequence of entries spells, is `[UNK]`. Truncation keeps the
/// first tokens so that `[CLS]`, the tokens and `[SEP]` fit the maximum length.
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: WordPieceVocabulary
    public let classifierID: Int
    public let separatorID: Int
    public let paddingID: Int
    public let unknownID: Int
    /// Words longer than this (in code points) are `[UNK]` whole.
    public static let maximumCharactersPerWord = 100
    public static let continuationPrefix = "##"
    /// BERT's special tokens: matched in the raw text before normalisation.
    public static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    private let specials: [(scalars: [Unicode.Scalar], id: Int)]

    /// A tokenizer over `vocabulary`, which must hold `[CLS]`, `[SEP]`, `[PAD]` and `[UNK]`;
    /// `source` names the vocabulary in messages.
    public init(vocabulary: WordPieceVocabulary, source: String) throws {
        func required(_ token: String) throws -> Int {
            guard let id = vocabulary.id(token) else {
                throw HwnasError("\(source) has no \(token) token; expected a BERT WordPiece vocabulary")
            }
            return id
        }
        self.vocabulary = vocabulary
        classifierID = try required("[CLS]")
        separatorID = try required("[SEP]")
        paddingID = try required("[PAD]")
        unknownID = try required("[UNK]")
        specials = Self.specialTokens.compactMap { token in vocabulary.id(token).map { (scalars: Array(token.unicodeScalars), id: $0) } }
    }

    /// A tokenizer over the vocabulary file `url` (`vocab.txt`).
    public init(vocabularyFile url: URL) throws {
        try self.init(vocabulary: WordPieceVocabulary(contentsOf: url), source: url.path)
    }

    /// The tokens of `text` with `[CLS]` and `[SEP]`; with `maxLength` (at least 2), the first
    /// `maxLength - 2` tokens only.
    public func encode(_ text: String, maxLength: Int? = nil) -> TokenizedText {
        let limit = maxLength.map { max(0, $0 - 2) } ?? Int.max
        var ids = [classifierID]
        var full: Bool { ids.count - 1 >= limit }
        let scalars = Array(text.unicodeScalars)
        var start = 0
        while start < scalars.count, !full {
            let match = nextSpecial(in: scalars, from: start)
            let end = match?.range.lowerBound ?? scalars.count
            if start < end {
                for word in BertPreTokenizer.words(BertNormalizer.normalize(scalars[start..<end])) {
                    if full { break }
                    appendPieces(of: word, to: &ids)
                }
            }
            guard let special = match else { break }
            if !full { ids.append(special.id) }
            start = special.range.upperBound
        }
        if ids.count - 1 > limit { ids.removeLast(ids.count - 1 - limit) }
        ids.append(separatorID)
        return TokenizedText(ids: ids, tokens: ids.map { vocabulary.tokens[$0] })
    }

    /// The leftmost special token at or after `start` (the longest, should two begin there).
    private func nextSpecial(in scalars: [Unicode.Scalar], from start: Int) -> (range: Range<Int>, id: Int)? {
        guard !specials.isEmpty, start < scalars.count else { return nil }
        for position in start..<scalars.count {
            var best: (range: Range<Int>, id: Int)?
            for special in specials where scalars[position] == special.scalars[0] {
                let end = position + special.scalars.count
                guard end <= scalars.count, scalars[position..<end].elementsEqual(special.scalars) else { continue }
                if best == nil || end > best!.range.upperBound { best = (position..<end, special.id) }
            }
            if let best { return best }
        }
        return nil
    }

    /// Appends the WordPiece ids of one word: greedy longest match from the start, `##` before
    /// every piece but the first; `[UNK]` for the whole word when a rest matches nothing or the
    /// word is too long.
    private func appendPieces(of word: ArraySlice<Unicode.Scalar>, to ids: inout [Int]) {
        guard word.count <= Self.maximumCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        var bytes: [UInt8] = []
        var offsets = [0]
        for scalar in word {
            bytes.append(contentsOf: scalar.utf8)
            offsets.append(bytes.count)
        }
        var pieces: [Int] = []
        var start = 0
        let prefix = Array(Self.continuationPrefix.utf8)
        while start < word.count {
            var end = word.count
            var found: Int?
            while start < end {
                var key = start > 0 ? prefix : [UInt8]()
                key.append(contentsOf: bytes[offsets[start]..<offsets[end]])
                if let id = vocabulary.id(bytes: key) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}
