import Foundation
import HwnasTestSupport
import Hardware
import Support
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Pinning, verified by where the kernel says the thread actually ran.
///
/// Serialized, and every pinned piece of work runs on a fresh thread through `PinnedThread`.
@Suite(.serialized) struct PinningTests {
    typealias GetCPU = @convention(c) () -> Int32


    /// glibc's `sched_getcpu`, which Swift's Glibc module does not import.
    static func schedGetcpu() throws -> GetCPU {
        let handle = dlopen(nil, RTLD_NOW)
        let symbol = try #require(dlsym(handle, "sched_getcpu"), "sched_getcpu not found")
        return unsafeBitCast(symbol, to: GetCPU.self)
    }

    /// Busy-loops for `nanoseconds`, sampling the CPU the thread is on; returns the samples
    /// seen (as a set) and how many were taken.
    static func sampleCPUs(for nanoseconds: UInt64, _ getcpu: GetCPU) -> (Set<Int>, Int) {
        var seen = Set<Int>()
        var count = 0
        var x = 1.0
        let start = MonotonicClock.now()
        while MonotonicClock.now() &- start < nanoseconds {
            for _ in 0..<200 { x = x * 1.000_000_1 + 1e-9 }
            seen.insert(Int(getcpu()))
            count += 1
        }
        blackHole(x)
        return (seen, count)
    }

    @Test func everyPUPinsWhereTheKernelSaysItRan() throws {
        let topology = try Topology.current()
        let getcpu = try Self.schedGetcpu()
        let pus = topology.puIndices
        try #require(!pus.isEmpty)
        for pu in pus {
            let outcome = try CPUExclusive.run {
                try PinnedThread.run(on: [pu], topology: topology) {
                    Self.sampleCPUs(for: 20_000_000, getcpu)
                }
            }
            let (seen, count) = outcome.value
            #expect(count >= 100, "too few samples on PU \(pu): \(count)")
            #expect(seen == [pu], "pinned to PU \(pu) but ran on \(seen.sorted())")
            #expect(outcome.observedPus == [pu])
            #expect(outcome.binding == [pu])
        }
    }

    @Test func pinningToSeveralPUsReportsTheBinding() throws {
        let topology = try Topology.current()
        let getcpu = try Self.schedGetcpu()
        let pus = topology.puIndices
        let outcome = try PinnedThread.run(on: pus, topology: topology) {
            Self.sampleCPUs(for: 5_000_000, getcpu)
        }
        #expect(outcome.binding == pus.sorted())
        #expect(outcome.value.0.isSubset(of: Set(pus)))
        #expect(outcome.observedPus.isSubset(of: Set(pus)))
    }

    @Test func theCallersThreadIsLeftUnpinned() throws {
        let topology = try Topology.current()
        let before = topology.currentThreadBinding()
        let last = try #require(topology.puIndices.last)
        _ = try PinnedThread.run(on: [last], topology: topology) { 0 }
        #expect(topology.currentThreadBinding() == before)
    }

    @Test func valuesAndErrorsComeBackFromThePinnedThread() throws {
        let topology = try Topology.current()
        let first = try #require(topology.puIndices.first)
        let outcome = try PinnedThread.run(on: [first], topology: topology) { "computed" }
        #expect(outcome.value == "computed")
        let error = try #require(throws: HwnasError.self) {
            _ = try PinnedThread.run(on: [first], topology: topology) { () throws -> Int in
                throw HwnasError("failure inside the body")
            }
        }
        #expect(error.message == "failure inside the body")
    }

    @Test func aPUThatDoesNotExistThrowsNamingIt() throws {
        let topology = try Topology.current()
        var ran = false
        let error = try #require(throws: HwnasError.self) {
            _ = try PinnedThread.run(on: [9999], topology: topology) { ran = true }
        }
        #expect(error.message.contains("9999"), "message: \(error.message)")
        #expect(!ran, "the body must not run unpinned")
        let first = try #require(topology.puIndices.first)
        let mixed = try #require(throws: HwnasError.self) {
            _ = try PinnedThread.run(on: [first, 4242], topology: topology) { ran = true }
        }
        #expect(mixed.message.contains("4242"), "message: \(mixed.message)")
        #expect(!ran)
    }

    @Test func anEmptyPUListThrows() throws {
        let topology = try Topology.current()
        var ran = false
        let error = try #require(throws: HwnasError.self) {
            _ = try PinnedThread.run(on: [], topology: topology) { ran = true }
        }
        #expect(error.message.contains("empty list of PUs"), "message: \(error.message)")
        #expect(!ran)
    }

    @Test func aTopologyLoadedFromXMLCannotPin() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-pin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("t.xml")
        try Topology.current().exportXML(to: url)
        let loaded = try Topology.load(xml: url)
        let first = try #require(loaded.puIndices.first)
        var ran = false
        let error = try #require(throws: HwnasError.self) {
            _ = try PinnedThread.run(on: [first], topology: loaded) { ran = true }
        }
        #expect(error.message.contains(url.path), "message: \(error.message)")
        #expect(!ran)
        let team = try #require(throws: HwnasError.self) {
            try PinnedTeam(pus: [first], topology: loaded).run { _ in }
        }
        #expect(team.message.contains(url.path), "message: \(team.message)")
        let calibration = try #require(throws: HwnasError.self) {
            _ = try Calibrator(topology: loaded, budget: .quick).run()
        }
        #expect(calibration.message.contains("loaded from XML"), "message: \(calibration.message)")
    }

    @Test func aTeamRunsEachShareOnItsPU() throws {
        let topology = try Topology.current()
        let getcpu = try Self.schedGetcpu()
        let pus = topology.puIndices
        let seen = SeenCPUs(count: pus.count)
        let seconds = try CPUExclusive.run {
            try PinnedTeam(pus: pus, topology: topology).run { index in
                seen.record(index, Self.sampleCPUs(for: 5_000_000, getcpu).0)
            }
        }
        #expect(seconds > 0)
        for (index, pu) in pus.enumerated() {
            #expect(seen.cpus(index) == [pu], "team thread \(index) pinned to PU \(pu)")
        }
        let error = try #require(throws: HwnasError.self) {
            try PinnedTeam(pus: pus + [9999], topology: topology).run { index in seen.record(index, []) }
        }
        #expect(error.message.contains("9999"), "message: \(error.message)")
    }

    /// What each team thread saw, written by the threads, read after the team finished.
    final class SeenCPUs: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [Int: Set<Int>] = [:]

        init(count: Int) {}

        func record(_ index: Int, _ cpus: Set<Int>) {
            lock.withLock { seen[index, default: []].formUnion(cpus) }
        }

        func cpus(_ index: Int) -> Set<Int> {
            lock.withLock { seen[index] ?? [] }
        }
    }
}
