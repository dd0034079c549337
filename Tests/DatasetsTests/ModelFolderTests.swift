import Datasets
import Foundation
import Support
import Testing

/// The model folder: a missing folder or a missing file is refused naming the folder (and,
/// for the default folder, how to get it).
@Suite struct ModelFolderTests {
    @Test func namesTheFolderAndTheMissingFile() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = ModelFolder(url: folder)
        #expect(throws: HwnasError("model folder \(folder.path) has no vocab.txt (the model's vocabulary)")) { try model.vocabulary() }
        #expect(throws: HwnasError("model folder \(folder.path) has no model.safetensors (the model's weights)")) { try model.weights() }
        try TestFiles.write("[PAD]\n", to: "vocab.txt", in: folder)
        #expect(try model.vocabulary() == folder.appendingPathComponent("vocab.txt"))
        let gone = ModelFolder(url: folder.appendingPathComponent("absent"))
        #expect(throws: HwnasError("model folder \(folder.appendingPathComponent("absent").path) does not exist")) { try gone.configuration() }
        let file = ModelFolder(url: folder.appendingPathComponent("vocab.txt"))
        #expect(throws: HwnasError("\(folder.appendingPathComponent("vocab.txt").path) is a file; --model takes the folder holding vocab.txt, model.safetensors and config.json")) {
            try file.vocabulary()
        }
    }

    @Test func theDefaultFolderSaysHowToGetIt() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = ModelFolder(url: folder.appendingPathComponent(ModelFolder.defaultPath))
        let text: String
        do {
            _ = try model.vocabulary()
            text = ""
        } catch let error as HwnasError {
            text = error.message
        }
        #expect(text.hasSuffix("does not exist; `make setup` fetches it (scripts/fetch-model), run from the repository root"), "\(text)")
    }
}
