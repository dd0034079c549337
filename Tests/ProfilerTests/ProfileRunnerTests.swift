import Foundation
import Support
import Testing
@testable import Profiler

/// The runner on synthetic entries: busy loops of known length, counted calls, the journal.
@Suite(.serialized) struct ProfileRunnerTests {
    /// A busy loop of about `microseconds`.
    static func spin(_ microseconds: Double) -> () -> Void {
        {
            let start = MonotonicClock.now()
            var x = 1.0
            while MonotonicClock.seconds(since: start) < microseconds * 1e-6 { x = x * 1.000_000_1 + 1e-9 }
            blackHole(x)
        }
    }

    final class CallCounter: @unchecked Sendable {
        var builds = 0
        var calls = 0
    }

    static func items(_ durations: [Double], counter: CallCounter? = nil) -> [ProfileWorkItem] {
        durations.enumerated().map { index, microseconds in
            ProfileWorkItem(key: "spin-\(index)-us:\(Int(microseconds))", flops: 1e6, bytes: 0) {
                counter?.builds += 1
                let work = spin(microseconds)
                return {
                    counter?.calls += 1
                    work()
                }
            }
        }
    }

    static func journalURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-journal-\(UUID().uuidString).jsonl")
    }

    @Test func everyEntryMeasuredOnceWithConsistentStatistics() throws {
        let url = Self.journalURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let journal = try ProfileJournal(url: url, fingerprint: "a", restart: false)
        let counter = CallCounter()
        var reports: [Int] = []
        let runner = ProfileRunner(budget: .quick, events: [], reference: Self.items([300])[0], chunkSize: 2) { done, _, _ in reports.append(done) }
        let entries = try runner.run(Self.items([20, 200, 1000], counter: counter), journal: journal)
        #expect(entries.count == 3)
        #expect(Set(entries.map(\.key)).count == 3)
        #expect(counter.builds == 3)
        #expect(reports == [0, 2, 3])
        for entry in entries {
            let s = entry.stats
            #expect(s.minMs <= s.p10Ms && s.p10Ms <= s.medianMs && s.medianMs <= s.p90Ms, "\(entry.key)")
            #expect(s.n >= MeasurementBudget.quick.minimumSamples || s.n >= 3)
            #expect(entry.derived.gflops != nil && entry.derived.percentOfPeak != nil)
        }
        // The 1000 us loop measures at least 1 ms; a 20 us loop is batched into samples of k calls.
        #expect(entries[2].stats.medianMs >= 0.99)
        #expect(entries[0].stats.callsPerSample > 1)
        #expect(entries[0].stats.medianMs < entries[1].stats.medianMs)
    }

    @Test func aResumedRunMeasuresOnlyWhatIsMissing() throws {
        let url = Self.journalURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let items = Self.items([30, 40, 50, 60])
        // First run: only the first two entries (as if killed after one chunk).
        do {
            let journal = try ProfileJournal(url: url, fingerprint: "f", restart: false)
            _ = try ProfileRunner(budget: .quick, events: [], reference: nil, chunkSize: 2).run(Array(items.prefix(2)), journal: journal)
        }
        // A kill in the middle of a write leaves a partial line.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"key\":\"spin-2".utf8))
        try handle.close()

        let counter = CallCounter()
        let journal = try ProfileJournal(url: url, fingerprint: "f", restart: false)
        #expect(journal.finished.count == 2)
        let entries = try ProfileRunner(budget: .quick, events: [], reference: nil, chunkSize: 2)
            .run(Self.items([30, 40, 50, 60], counter: counter), journal: journal)
        #expect(counter.builds == 2)
        #expect(entries.map(\.key) == items.map(\.key))
        let reopened = try ProfileJournal(url: url, fingerprint: "f", restart: false)
        #expect(reopened.finished.count == 4)
    }

    @Test func otherSettingsAreRefusedUnlessRestarted() throws {
        let url = Self.journalURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let journal = try ProfileJournal(url: url, fingerprint: "one", restart: false)
        _ = try ProfileRunner(budget: .quick, events: [], reference: nil).run(Self.items([10]), journal: journal)
        #expect { try ProfileJournal(url: url, fingerprint: "two", restart: false) } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains(url.path) && message.contains("--restart")
        }
        let fresh = try ProfileJournal(url: url, fingerprint: "two", restart: true)
        #expect(fresh.finished.isEmpty)
    }

    @Test func aForeignFileIsNotTakenForAJournal() throws {
        let url = Self.journalURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try "hello\n".write(to: url, atomically: true, encoding: .utf8)
        let error = try #require(throws: HwnasError.self) { try ProfileJournal(url: url, fingerprint: "x", restart: false) }
        #expect(error.message.contains(url.path), "message: \(error.message)")
    }
}
