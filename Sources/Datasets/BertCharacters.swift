/// The character classes BERT's text preparation sorts code points into, defined as Hugging
/// Face `tokenizers` defines them (its `BertNormalizer` and `BertPreTokenizer`), so that ids
/// match the ones the model was trained with.
///
/// `tokenizers` takes general categories from the `unicode_categories` crate, whose tables are
/// those of Unicode 8.0: a code point assigned since is in none of them (no punctuation, no
/// mark, no control), and the few whose category has changed since keep their 8.0 category.
/// Whitespace is Rust's `char::is_whitespace` (the White_Space property), lower-casing Rust's
/// `char::to_lowercase`; both follow the current Unicode version, as Swift's properties do.
enum BertCharacters {
    /// White_Space characters (tab, line feed, vertical tab, form feed, carriage return and
    /// space among ASCII), as Rust's `char::is_whitespace`: they separate words.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20: return true
        case 0..<0x80: return false
        default: return scalar.properties.isWhitespace
        }
    }

    /// Controls (Cc, but not tab, line feed, carriage return), formats (Cf) and private use
    /// (Co): removed from the text.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default: break
        }
        if scalar.value < 0x20 || scalar.value == 0x7F { return true }
        if scalar.value < 0x80 { return false }
        switch category(scalar) {
        case .control, .format, .privateUse: return true
        default: return false
        }
    }

    /// ASCII punctuation (33-47, 58-64, 91-96, 123-126: symbols such as `$`, `+`, `^` too) and
    /// the Unicode punctuation categories P*: each becomes a word of its own.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0..<0x80: return false
        default: break
        }
        switch category(scalar) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// CJK ideographs (the blocks `tokenizers` lists): each becomes a word of its own.
    static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Nonspacing marks (Mn): what stripping accents removes after canonical decomposition.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x300 && category(scalar) == .nonspacingMark
    }

    /// The Unicode version of the crate's tables.
    static let tablesVersion: Unicode.Version = (8, 0)

    /// The general category the crate's tables give `scalar`: its category in Unicode 8.0, nil
    /// when it was assigned later.
    static func category(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory? {
        if let old = changedSinceTables[scalar.value] { return old }
        guard let age = scalar.properties.age, age <= tablesVersion else { return nil }
        return scalar.properties.generalCategory
    }

    /// Code points of Unicode 8.0 whose general category has changed since in a way that
    /// matters here (punctuation, nonspacing mark, control), with their 8.0 category; found by
    /// scripts/tokenizer-check, which runs every code point through both tokenizers.
    static let changedSinceTables: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation,  // Canadian syllabics chi sign (So today)
        0x1734: .nonspacingMark,  // Hanunoo sign pamudpod (Mc today)
        0x1885: .otherLetter, 0x1886: .otherLetter,  // Mongolian ali gali baluda (Mn today)
        0xA9BD: .spacingMark,  // Javanese consonant sign keret (Mn today)
        0x111C9: .otherPunctuation,  // Sharada sandhi mark (Mn today)
        0x1171E: .nonspacingMark,  // Ahom consonant sign medial ra (Mc today)
    ]
}
