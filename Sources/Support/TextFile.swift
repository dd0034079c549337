import Foundation

/// Small reads of kernel-provided text files (/proc, /sys), where absence is normal.
public enum TextFile {
    /// The file's text, or nil when it does not exist or cannot be read.
    public static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The first line of the file, trimmed.
    public static func firstLine(_ path: String) -> String? {
        read(path)?.split(separator: "\n", omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
