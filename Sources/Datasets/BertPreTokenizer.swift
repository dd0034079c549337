/// BERT's split of normalised text into words, as `tokenizers`' `BertPreTokenizer`: whitespace
/// separates words and is dropped; each punctuation character is a word of its own.
enum BertPreTokenizer {
    static func words(_ text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start: Int?
        for (index, scalar) in text.enumerated() {
            let space = BertCharacters.isWhitespace(scalar)
            let punctuation = !space && BertCharacters.isPunctuation(scalar)
            guard space || punctuation else {
                if start == nil { start = index }
                continue
            }
            if let first = start {
                words.append(text[first..<index])
                start = nil
            }
            if punctuation { words.append(text[index...index]) }
        }
        if let first = start { words.append(text[first...]) }
        return words
    }
}
