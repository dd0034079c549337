import Foundation
import Support
import Testing

/// Atomic writes: folders are created, content replaced, nothing temporary left behind, and
/// failures name the path.
@Suite struct AtomicFileTests {
    /// A fresh, empty folder under the system's temporary folder.
    private func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hwnas-atomicfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    private func listing(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func createsMissingFolders() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let file = root.appendingPathComponent("a/b/c/descriptor.json")
        try AtomicFile.write(Data("{\"x\": 1}\n".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "{\"x\": 1}\n")
        #expect(try listing(file.deletingLastPathComponent()) == ["descriptor.json"])
    }

    @Test func replacesContentAndLeavesNoTemporaryFiles() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let file = root.appendingPathComponent("out.txt")
        try AtomicFile.write("a first, rather longer content\n", to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "a first, rather longer content\n")
        try AtomicFile.write("second", to: file)
        // Replaced, not overwritten in place: no tail of the longer first content.
        #expect(try String(contentsOf: file, encoding: .utf8) == "second")
        try AtomicFile.write(Data(), to: file)
        #expect(try Data(contentsOf: file).isEmpty)
        #expect(try listing(root) == ["out.txt"])
    }

    @Test func parentThatIsARegularFileThrowsNamingThePath() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let blocker = root.appendingPathComponent("file.txt")
        try Data("not a folder".utf8).write(to: blocker)
        let target = blocker.appendingPathComponent("hw/out.json")
        let error = try #require(throws: HwnasError.self) {
            try AtomicFile.write("content", to: target)
        }
        #expect(error.message.contains(blocker.appendingPathComponent("hw").path), "message: \(error.message)")
        #expect(try String(contentsOf: blocker, encoding: .utf8) == "not a folder")
        #expect(try listing(root) == ["file.txt"])
    }

    @Test func destinationThatIsAFolderThrowsAndCleansUp() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let target = root.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        let error = try #require(throws: HwnasError.self) {
            try AtomicFile.write("content", to: target)
        }
        #expect(error.message.contains(target.path), "message: \(error.message)")
        // The temporary file was removed after the failed rename.
        #expect(try listing(root) == ["taken"])
    }

    @Test func checkWritableCreatesTheFolderAndLeavesItEmpty() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let folder = root.appendingPathComponent("new/hardware")
        try AtomicFile.checkWritable(folder: folder)
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try listing(folder).isEmpty)
        // An existing folder with content is fine too, and keeps its content.
        try AtomicFile.write("x", to: folder.appendingPathComponent("keep.txt"))
        try AtomicFile.checkWritable(folder: folder)
        #expect(try listing(folder) == ["keep.txt"])
    }

    @Test func checkWritableRejectsARegularFile() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let file = root.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let error = try #require(throws: HwnasError.self) {
            try AtomicFile.checkWritable(folder: file)
        }
        #expect(error.message.contains(file.path), "message: \(error.message)")
        #expect(error.message.contains("not a folder"), "message: \(error.message)")
    }

    @Test func checkWritableRejectsAFolderUnderARegularFile() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let file = root.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let folder = file.appendingPathComponent("hw")
        let error = try #require(throws: HwnasError.self) {
            try AtomicFile.checkWritable(folder: folder)
        }
        #expect(error.message.contains(folder.path), "message: \(error.message)")
        #expect(try listing(root) == ["file.txt"])
    }

    /// The pid of a process that has exited.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// A temporary of a killed run (its process gone, older than this one) is removed by the
    /// next write of that file; a live process's temporary, a recent one and other files stay.
    @Test func item05_staleTemporariesOfDeadProcessesAreRemoved() throws {
        let root = try makeFolder()
        defer { remove(root) }
        let dead = try deadPID()
        let old = Date(timeIntervalSinceNow: -3600)
        let stale = ".set.json.\(dead).abcdef12.tmp"
        let live = ".set.json.1.abcdef12.tmp"        // pid 1 runs
        let other = ".other.json.\(dead).abcdef12.tmp" // another file's
        let odd = ".set.json.\(dead).tmp"             // not a name AtomicFile gives
        for name in [stale, live, other, odd] {
            let url = root.appendingPathComponent(name)
            try Data("x".utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: url.path)
        }
        try AtomicFile.write(Data("{}\n".utf8), to: root.appendingPathComponent("set.json"))
        #expect(try listing(root) == [other, live, odd, "set.json"].sorted())
    }
}
