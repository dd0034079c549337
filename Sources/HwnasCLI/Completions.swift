import ArgumentParser
import Foundation
import SuperNet

/// What the shell completes for hwnas's options: space names, the device folders of the
/// profiles folder on the command line (default `profiles`), and files by extension.
enum Completions {
    static var space: CompletionKind { .list(SearchSpaces.all.map(\.name)) }
    static var device: CompletionKind { .custom { words, _, prefix in deviceFolders(words: words, prefix: prefix) } }
    /// DyNAS-T CSVs or JSON lines.
    static var subnets: CompletionKind { .file(extensions: ["csv", "jsonl", "json"]) }
    /// Profiles, cost tables and predictors are JSON files.
    static var json: CompletionKind { .file(extensions: ["json"]) }
    static var csv: CompletionKind { .file(extensions: ["csv"]) }

    /// The device folders (those holding a profile or a table) under the `--profiles-dir` given
    /// in `words`, else under `profiles`, that start with `prefix`.
    static func deviceFolders(words: [String], prefix: String) -> [String] {
        var folder = "profiles"
        for (i, word) in words.enumerated() {
            if word == "--profiles-dir", i + 1 < words.count {
                folder = words[i + 1]
            } else if word.hasPrefix("--profiles-dir=") {
                folder = String(word.dropFirst("--profiles-dir=".count))
            }
        }
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            guard name.hasPrefix(prefix), !name.hasPrefix(".") else { return false }
            let files = (try? manager.contentsOfDirectory(atPath: (folder as NSString).appendingPathComponent(name))) ?? []
            return files.contains { $0.hasSuffix(".lut.json") || $0.hasSuffix(".profile.json") }
        }.sorted()
    }
}
