import Foundation
import Support
import Testing
@testable import Profiler

/// The journal under concurrent writers and after garbled writes (issue 11, item 6d). These are
/// unit tests: two writers in one journal file cannot be arranged reliably from the command line
/// (the device lock now keeps a second run out).
@Suite struct ProfileJournalTests {
    static func entry(_ key: String) -> ProfileEntry {
        let stats = EntryStatistics(secondsPerCall: [0.001, 0.0011, 0.0012, 0.001, 0.001], callsPerSample: 1)
        return ProfileEntry(key: key, flops: 4e8, bytes: 1e7, stats: stats, counters: [:],
                            derived: DerivedFigures(flops: 4e8, bytes: 1e7, medianMs: stats.medianMs, peakGflops: nil, counters: [:]),
                            involuntaryContextSwitches: 0, cpus: [0])
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Two writers opened on one journal (as two runs of one device did before the device lock):
    /// with O_APPEND every line lands whole at the end; without it the second writer, positioned
    /// at the same end, wrote over the first's lines.
    @Test func item06_twoWritersOfOneJournalNeverInterleaveWithinALine() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.profile.json.journal")
        let first = try ProfileJournal(url: url, fingerprint: "f", restart: false)
        let second = try ProfileJournal(url: url, fingerprint: "f", restart: false)
        for index in 0..<20 {
            try first.append(Self.entry("a-\(index)"))
            try second.append(Self.entry("b-\(index)"))
        }
        var warnings: [String] = []
        let reread = try ProfileJournal(url: url, fingerprint: "f", restart: false) { warnings.append($0) }
        #expect(reread.finished.count == 40)
        #expect(reread.unreadableLines.isEmpty)
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test func item06_garbledLinesAreReportedWithTheirNumbersOnResume() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.profile.json.journal")
        do {
            let journal = try ProfileJournal(url: url, fingerprint: "f", restart: false)
            try journal.append(Self.entry("a"))
            try journal.append(Self.entry("b"))
        }
        // Header, a, a garbled line, b, then a line cut short by a kill.
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let text = [lines[0], lines[1], "{\"key\":\"x\",garbage", lines[2]].joined(separator: "\n") + "\n{\"key\":\"c"
        try Data(text.utf8).write(to: url)

        var warnings: [String] = []
        let resumed = try ProfileJournal(url: url, fingerprint: "f", restart: false) { warnings.append($0) }
        #expect(Set(resumed.finished.keys) == ["a", "b"])
        #expect(resumed.unreadableLines == [3, 5])
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("\(url.path): 2 lines could not be read (lines 3, 5") == true, "\(warnings)")
        #expect(warnings.first?.contains("cut short") == true, "\(warnings)")
        // The partial line is gone, so the next entry starts a line of its own.
        try resumed.append(Self.entry("c"))
        var again: [String] = []
        let third = try ProfileJournal(url: url, fingerprint: "f", restart: false) { again.append($0) }
        #expect(Set(third.finished.keys) == ["a", "b", "c"])
        #expect(third.unreadableLines == [3])
    }

    /// A journal remembers the kernels its entries were measured with: resuming it with other
    /// kernels, or with known kernels when it was written before they were recorded, is refused
    /// (naming both); the same kernels resume; `restart` discards it.
    @Test func anotherKernelVariantIsRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.profile.json.journal")
        let avx512 = "gemm avx512-8x32/avx2-4x24, depthwise avx512, elementwise avx512, attention avx512-fused/sgemm"
        let avx2 = "gemm avx2-4x24, depthwise avx2, elementwise avx2, attention sgemm"
        let first = try ProfileJournal(url: url, fingerprint: "f", kernelVariants: avx512, restart: false)
        try first.append(Self.entry("a"))
        let same = try ProfileJournal(url: url, fingerprint: "f", kernelVariants: avx512, restart: false)
        #expect(same.finished.count == 1)
        let error = #expect(throws: HwnasError.self) {
            try ProfileJournal(url: url, fingerprint: "f", kernelVariants: avx2, restart: false)
        }
        #expect(error?.message.contains(avx512) == true && error?.message.contains(avx2) == true, "\(String(describing: error))")
        #expect(error?.message.contains("--restart") == true)
        let restarted = try ProfileJournal(url: url, fingerprint: "f", kernelVariants: avx2, restart: true)
        #expect(restarted.finished.isEmpty)

        // A journal written before the kernels were recorded reads as `unknown`.
        let older = folder.appendingPathComponent("old.profile.json.journal")
        let legacy = try ProfileJournal(url: older, fingerprint: "f", restart: false)
        try legacy.append(Self.entry("a"))
        let unknown = #expect(throws: HwnasError.self) {
            try ProfileJournal(url: older, fingerprint: "f", kernelVariants: avx2, restart: false)
        }
        #expect(unknown?.message.contains("(unknown)") == true, "\(String(describing: unknown))")
    }
}
