import Foundation

/// Numbers read back from measurement files are checked before anything is computed from them:
/// a negative median or slope in a hand-edited or damaged file would otherwise turn into a
/// negative latency without a word.
public enum ValueCheck {
    /// Throws, naming the file, the entry and the field, unless `value` is finite and above zero.
    public static func positive(_ value: Double, file: URL, entry: String?, field: String) throws {
        guard value.isFinite, value > 0 else {
            throw HwnasError("\(location(file, entry, field)) is \(value); it must be a finite number above zero")
        }
    }

    /// Throws, naming the file, the entry and the field, unless `value` is finite.
    public static func finite(_ value: Double, file: URL, entry: String?, field: String) throws {
        guard value.isFinite else {
            throw HwnasError("\(location(file, entry, field)) is \(value); it must be a finite number")
        }
    }

    private static func location(_ file: URL, _ entry: String?, _ field: String) -> String {
        "\(file.path): " + (entry.map { "entry '\($0)', " } ?? "") + "field '\(field)'"
    }
}
