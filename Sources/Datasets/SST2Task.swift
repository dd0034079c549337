import Foundation
import Support

/// SST-2, binary sentiment of movie-review phrases (GLUE's copy), from a folder holding
/// `train.tsv` and `dev.tsv`.
///
/// Splits: `train` is `train.tsv` without its last 2,000 phrases, `val` those 2,000 (searches
/// select sub-networks on it without touching `dev`), `dev` is `dev.tsv` (GLUE's test labels
/// are not public, so reported accuracies are on it). Columns are found by header name:
/// `label` (0 negative, 1 positive) and the text, `sentence` (train) or `content` (dev).
public struct SST2Task: Sendable {
    public enum Split: String, CaseIterable, Sendable {
        case train, val, dev
    }

    public let folder: URL
    /// Phrases held out of `train.tsv` as the `val` split.
    public static let validationCount = 2_000
    /// Classes: 0 negative, 1 positive.
    public static let classCount = 2
    /// The repository's copy, relative to its root.
    public static let defaultFolder = "data/sst2"

    public init(folder: URL) {
        self.folder = folder
    }

    /// The examples of `split`, in file order.
    public func examples(_ split: Split) throws -> [LabelledText] {
        switch split {
        case .dev:
            return try Self.read(folder.appendingPathComponent("dev.tsv"))
        case .train, .val:
            let url = folder.appendingPathComponent("train.tsv")
            let all = try Self.read(url)
            guard all.count > Self.validationCount else {
                throw HwnasError("\(url.path) has \(all.count) phrases; the train split needs more than the \(Self.validationCount) held out as val")
            }
            return split == .val ? Array(all.suffix(Self.validationCount)) : Array(all.dropLast(Self.validationCount))
        }
    }

    /// Reads one SST-2 file: the `label` column (0 or 1) and the `sentence` or `content` column;
    /// throws naming the file, and the line of a bad label.
    public static func read(_ url: URL) throws -> [LabelledText] {
        let table = try TabSeparatedFile(contentsOf: url)
        let labelColumn = try table.column(["label"], for: "label")
        let textColumn = try table.column(["sentence", "content"], for: "text")
        return try table.rows.map { row in
            let field = row.fields[labelColumn]
            guard let label = Int(field), (0..<classCount).contains(label) else {
                throw HwnasError("\(url.path):\(row.line): label '\(field)' is not 0 (negative) or 1 (positive)")
            }
            return LabelledText(text: row.fields[textColumn], label: label, line: row.line)
        }
    }
}
