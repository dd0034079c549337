import Counters
import Foundation
import Hardware
import Support
import Testing

/// Which events count: unavailable ones are reported with PAPI's reason, unknown names throw.
///
/// Serialized, and PAPI is only used on threads started by `PinnedThread.run`.
@Suite(.serialized) struct EventProbeTests {
    /// True when the kernel exposes a hardware PMU (no "cpu" event source in a VM without one).
    static var hasHardwarePMU: Bool {
        let devices = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/bus/event_source/devices")) ?? []
        return devices.contains { $0 == "cpu" || $0.hasPrefix("cpu_") || $0.hasPrefix("armv8_pmu") || $0.hasPrefix("armv8_") }
    }

    /// Runs `body` on a fresh thread pinned to the first PU.
    static func pinned<T>(_ body: () throws -> T) throws -> T {
        let topology = try Topology.current()
        let pu = try #require(topology.puIndices.first)
        return try PinnedThread.run(on: [pu], topology: topology, body).value
    }

    @Test func probeReportsEveryEventOneWayOrTheOther() throws {
        let results = try Self.pinned { try EventProbe.probe(["PAPI_TOT_CYC", "perf::TASK-CLOCK"]) }
        #expect(results.map(\.name) == ["PAPI_TOT_CYC", "perf::TASK-CLOCK"])
        for event in results {
            if event.counts {
                #expect(event.probeValue != nil, "\(event.name) counts but has no value")
                #expect(event.reason == nil, "\(event.name) counts but has a reason")
            } else {
                #expect(!(event.reason ?? "").isEmpty, "\(event.name) does not count and has no reason")
                #expect(event.probeValue == nil, "\(event.name) does not count but has a value")
            }
        }
        let taskClock = try #require(results.first { $0.name == "perf::TASK-CLOCK" })
        #expect(taskClock.counts)
        #expect((taskClock.probeValue ?? 0) > 0)
        let cycles = try #require(results.first { $0.name == "PAPI_TOT_CYC" })
        if !Self.hasHardwarePMU {
            #expect(!cycles.counts, "no PMU, yet PAPI_TOT_CYC counts")
            #expect(cycles.reason?.contains("PAPI_ENOEVNT") == true, "reason: \(cycles.reason ?? "nil")")
        }
        if cycles.counts {
            #expect((cycles.probeValue ?? 0) > 0)
        }
    }

    @Test func softwareEventsOfTheDefaultListCount() throws {
        let results = try Self.pinned { try EventProbe.probe(EventProbe.defaultEvents) }
        #expect(results.map(\.name) == EventProbe.defaultEvents)
        for event in results where event.name.hasPrefix("perf::") {
            #expect(event.counts, "\(event.name): \(event.reason ?? "")")
        }
        for event in results {
            #expect(event.counts == (event.probeValue != nil), "\(event.name)")
            #expect(event.counts == (event.reason == nil), "\(event.name)")
        }
        // The probe workload takes CPU time. (Its page faults depend on whether malloc hands it
        // fresh pages, which depends on what the process freed before, so they are not checked.)
        #expect((results.first { $0.name == "perf::TASK-CLOCK" }?.probeValue ?? 0) > 0)
        #expect((results.first { $0.name == "perf::PAGE-FAULTS" }?.probeValue ?? -1) >= 0)
    }

    @Test func aSetKeepsCountingEventsAndRejectsTheOthers() throws {
        let asked = ["PAPI_TOT_CYC", "perf::TASK-CLOCK"]
        let (events, rejected, values) = try Self.pinned { () throws -> ([String], [EventAvailability], [Int64]) in
            let set = try EventSet(events: asked)
            try set.start()
            var x = 1.0
            for _ in 0..<100_000 { x = x * 1.000_000_1 + 1e-9 }
            blackHole(x)
            return (set.events, set.rejected, try set.stop())
        }
        #expect(events.contains("perf::TASK-CLOCK"))
        #expect(Set(events).isDisjoint(with: rejected.map(\.name)))
        #expect(Set(events + rejected.map(\.name)) == Set(asked))
        #expect(events.count + rejected.count == asked.count)
        #expect(values.count == events.count)
        #expect(values.allSatisfy { $0 > 0 }, "values \(values) for \(events)")
        for event in rejected {
            #expect(!event.counts)
            #expect(event.probeValue == nil)
            #expect(event.reason?.contains("PAPI_add_named_event") == true, "reason: \(event.reason ?? "nil")")
        }
        if !Self.hasHardwarePMU {
            #expect(rejected.map(\.name) == ["PAPI_TOT_CYC"])
            #expect(rejected.first?.reason?.contains("PAPI_ENOEVNT") == true)
            #expect(events == ["perf::TASK-CLOCK"])
        }
    }

    @Test(arguments: ["NOT_AN_EVENT", "perf::NO-SUCH"])
    func unknownNamesThrowNamingTheEvent(name: String) throws {
        let errors = try Self.pinned { () -> [Result<Void, Error>] in
            [
                Result { _ = try EventSet(events: [name]) },
                Result { _ = try EventSet(events: ["perf::TASK-CLOCK", name]) },
                Result { _ = try EventProbe.probe(["perf::TASK-CLOCK", name]) },
                Result { try EventSet.checkKnown([name]) },
            ]
        }
        for result in errors {
            let error = try #require(throws: HwnasError.self) { try result.get() }
            #expect(error.message.contains("'\(name)'"), "message: \(error.message)")
        }
        // Known names pass the check.
        try Self.pinned { try EventSet.checkKnown(["perf::TASK-CLOCK", "perf::PAGE-FAULTS"]) }
    }

    @Test func libraryVersionAndErrorText() throws {
        let version = try Self.pinned { try PAPILibrary.initialize() }
        #expect(version.major >= 5, "PAPI \(version)")
        #expect(version.description == "\(version.major).\(version.minor).\(version.revision)")
        #expect(PAPILibrary.errorText(-7).hasPrefix("PAPI_ENOEVNT: "), "\(PAPILibrary.errorText(-7))")
        #expect(PAPILibrary.errorText(-1).hasPrefix("PAPI_EINVAL: "))
        #expect(PAPILibrary.errorText(-999).hasPrefix("error -999: "), "\(PAPILibrary.errorText(-999))")
    }
}
