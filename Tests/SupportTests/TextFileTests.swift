import Foundation
import Support
import Testing

/// Reads of kernel-style text files, where absence is normal and reported as nil.
@Suite struct TextFileTests {
    @Test func missingFileIsNil() {
        #expect(TextFile.read("/nonexistent/hwnas/\(UUID().uuidString)") == nil)
        #expect(TextFile.firstLine("/nonexistent/hwnas/\(UUID().uuidString)") == nil)
    }

    @Test func readsWholeTextAndTrimmedFirstLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-textfile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("  performance \t\nsecond line\n".utf8).write(to: url)
        #expect(TextFile.read(url.path) == "  performance \t\nsecond line\n")
        #expect(TextFile.firstLine(url.path) == "performance \t".trimmingCharacters(in: .whitespaces))
        #expect(TextFile.firstLine(url.path) == "performance")
    }

    @Test func emptyFileHasAnEmptyFirstLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-textfile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data().write(to: url)
        #expect(TextFile.read(url.path) == "")
        #expect(TextFile.firstLine(url.path) == "")
    }

    @Test func readsAKernelFile() throws {
        let text = try #require(TextFile.read("/proc/self/status"))
        #expect(text.contains("Pid:"))
    }
}
