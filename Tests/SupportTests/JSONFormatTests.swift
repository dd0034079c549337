import Foundation
import Support
import Testing

/// Decoding versioned files: every failure names the file, and the field when one is at fault.
@Suite struct JSONFormatTests {
    struct Record: Codable, Equatable {
        struct Item: Codable, Equatable {
            var size: Int
        }

        var schemaVersion: Int
        var name: String
        var count: Int
        var items: [Item]?
    }

    private func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hwnas-jsonformat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a fresh file and decodes it as a version-1 record.
    private func decode(_ text: String) throws -> Record {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("record.json")
        try Data(text.utf8).write(to: url)
        return try JSONFormat.decodeFile(Record.self, from: url, kind: "test record", schemaVersion: 1)
    }

    /// The error of decoding `text`, which must fail, and the path of the file it was in.
    private func failure(_ text: String) throws -> (message: String, path: String) {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("record.json")
        try Data(text.utf8).write(to: url)
        let error = try #require(throws: HwnasError.self) {
            _ = try JSONFormat.decodeFile(Record.self, from: url, kind: "test record", schemaVersion: 1)
        }
        return (error.message, url.path)
    }

    @Test func decodesAValidFile() throws {
        let record = try decode(#"{"schemaVersion": 1, "name": "a/b", "count": 3, "items": [{"size": 4}]}"#)
        #expect(record == Record(schemaVersion: 1, name: "a/b", count: 3, items: [.init(size: 4)]))
    }

    @Test func missingFileNamesThePath() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("absent.json")
        let error = try #require(throws: HwnasError.self) {
            _ = try JSONFormat.decodeFile(Record.self, from: url, kind: "test record", schemaVersion: 1)
        }
        #expect(error.message.contains(url.path), "message: \(error.message)")
        #expect(error.message.contains("test record"), "message: \(error.message)")
    }

    @Test func emptyFile() throws {
        let (message, path) = try failure("")
        #expect(message.contains(path), "message: \(message)")
        #expect(message.contains("empty"), "message: \(message)")
    }

    @Test(arguments: [
        #"{"schemaVersion": 1, "name": "x", "cou"#,
        #"{"schemaVersion": 1, "name": "x", "count": 3"#,
        "not json at all",
        "[1, 2, 3]",
    ])
    func truncatedOrNotJSON(text: String) throws {
        let (message, path) = try failure(text)
        #expect(message.contains(path), "message: \(message)")
        #expect(message.contains("not a valid test record"), "message: \(message)")
    }

    @Test func wrongSchemaVersion() throws {
        let (message, path) = try failure(#"{"schemaVersion": 2, "name": "x", "count": 3}"#)
        #expect(message.contains(path), "message: \(message)")
        #expect(message.contains("schema 2"), "message: \(message)")
        #expect(message.contains("schema 1"), "message: \(message)")
    }

    @Test func noSchemaVersion() throws {
        let (message, path) = try failure(#"{"name": "x", "count": 3}"#)
        #expect(message.contains(path), "message: \(message)")
        #expect(message.contains("schemaVersion"), "message: \(message)")
    }

    @Test func missingFieldIsNamed() throws {
        let (message, path) = try failure(#"{"schemaVersion": 1, "name": "x"}"#)
        #expect(message.contains(path), "message: \(message)")
        #expect(message.contains("missing field 'count'"), "message: \(message)")
    }

    @Test func missingNestedFieldIsNamedWithItsPath() throws {
        let (message, path) = try failure(
            #"{"schemaVersion": 1, "name": "x", "count": 1, "items": [{"size": 1}, {}]}"#)
        #expect(message.contains(path), "message: \(message)")
        #expect(message.contains("'items[1].size'"), "message: \(message)")
    }

    @Test func wrongTypeNamesTheField() throws {
        let (message, path) = try failure(#"{"schemaVersion": 1, "name": "x", "count": "three"}"#)
        #expect(message.contains(path), "message: \(message)")
        #expect(message.contains("'count'"), "message: \(message)")
    }

    @Test func encodeIsSortedPrettyUnescapedAndEndsInANewline() throws {
        let record = Record(schemaVersion: 1, name: "a/b", count: 2, items: nil)
        let text = String(decoding: try JSONFormat.encode(record), as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"a/b\""), "slashes must not be escaped: \(text)")
        #expect(text.contains("\n  \""), "pretty printed: \(text)")
        let keys = ["count", "name", "schemaVersion"].map { text.range(of: "\"\($0)\"")?.lowerBound }
        let found = keys.compactMap { $0 }
        #expect(found.count == 3)
        #expect(found == found.sorted(), "keys must be sorted: \(text)")
        #expect(!text.contains("items"), "nil optionals are left out: \(text)")
    }
}
