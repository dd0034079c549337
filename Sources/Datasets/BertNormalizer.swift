import Foundation

/// BERT uncased text normalisation, as `tokenizers`' `BertNormalizer` with clean_text,
/// handle_chinese_chars and lowercase on and strip_accents unset (it then follows lowercase):
///  1. remove NUL, U+FFFD and control characters; every whitespace character becomes a space;
///  2. put spaces around CJK ideographs;
///  3. strip accents: canonical decomposition (NFD), then remove nonspacing marks (Mn);
///  4. lower-case each code point on its own (full mappings, no context: `İ` is stripped to
///     `I` in step 3 before it is lower-cased).
enum BertNormalizer {
    static func normalize<Scalars: Sequence>(_ text: Scalars) -> [Unicode.Scalar] where Scalars.Element == Unicode.Scalar {
        var spaced: [Unicode.Scalar] = []
        spaced.reserveCapacity(text.underestimatedCount)
        var ascii = true
        for scalar in text {
            if scalar.value == 0 || scalar.value == 0xFFFD || BertCharacters.isControl(scalar) { continue }
            if BertCharacters.isWhitespace(scalar) {
                spaced.append(" ")
            } else if BertCharacters.isChinese(scalar) {
                spaced.append(contentsOf: [" ", scalar, " "])
                ascii = false
            } else {
                if scalar.value >= 0x80 { ascii = false }
                spaced.append(scalar)
            }
        }
        // ASCII has no decomposition and no marks: most lines skip the NFD round trip.
        var stripped = spaced
        if !ascii {
            var string = ""
            string.unicodeScalars.append(contentsOf: spaced)
            stripped = Array(string.decomposedStringWithCanonicalMapping.unicodeScalars).filter { !BertCharacters.isNonspacingMark($0) }
        }
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(stripped.count)
        for scalar in stripped {
            if scalar.value < 0x80 {
                lowered.append((0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value + 0x20)) : scalar)
            } else {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return lowered
    }
}
