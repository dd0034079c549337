import Foundation

/// Measurements are replaced only when asked: a command that would write over an existing
/// profile, table or calibrated descriptor refuses, before it measures anything, unless `--force`
/// was given. Hours of measurement must never vanish because a command was run twice.
public enum OverwriteGuard {
    /// Throws when `url` exists and `force` is false; `what` says what the file holds ("a
    /// profile"), `detail` may add what would be lost (its settings, its validation).
    public static func check(_ url: URL, holds what: String, force: Bool, detail: String? = nil) throws {
        guard !force, FileManager.default.fileExists(atPath: url.path) else { return }
        throw HwnasError("\(url.relativePath) already holds \(what)\(detail.map { " (\($0))" } ?? ""); "
            + "pass --force to replace it (nothing was measured or written)")
    }
}
