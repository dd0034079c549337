import Counters
import Foundation
import HwnasTestSupport
import Hardware
import Support
import Testing

/// The descriptor file: a faithful round trip, and the keys scripts rely on.
///
/// Serialized: one test calibrates (quickly), which pins threads and uses every core.
@Suite(.serialized) struct MachineDescriptorJSONTests {
    private func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-descriptor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func object(_ value: Any?, _ name: String) throws -> [String: Any] {
        try #require(value as? [String: Any], "\(name) is not a JSON object")
    }

    private func expectKeys(_ object: [String: Any], _ keys: [String], in name: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        for key in keys {
            #expect(object[key] != nil, "\(name) lacks key '\(key)'", sourceLocation: sourceLocation)
        }
    }

    /// A small descriptor built by hand, without measuring anything.
    static func synthetic(calibration: Calibration? = nil) -> MachineDescriptor {
        let cpu = CPUDescription(
            vendor: "amd", vendorString: "AuthenticAMD", modelName: "AMD EPYC 7763", family: 25, model: 1,
            stepping: 1, isa: ["avx", "avx2", "fma"], virtualized: true, hypervisor: "KVMKVMKVM",
            frequencyMHz: 2445.404, governor: nil)
        return MachineDescriptor(
            id: MachineID.derive(from: cpu), cpu: cpu,
            build: BuildTarget(cpu: "znver3", features: ["avx", "avx2", "fma"], compiler: "clang"),
            topology: TopologySummary(packages: 1, cores: 2, pus: 2, numaNodes: 1, numaMemoryBytes: 1 << 30,
                                      numa: [NUMANodeDescription(index: 0, memoryBytes: 1 << 30, pus: [0, 1])],
                                      corePus: [[0], [1]]),
            caches: [CacheDescription(level: 1, kind: "data", sizeBytes: 32768, lineBytes: 64, associativity: 8,
                                      sharedByPus: 1, instances: 2)],
            memoryBytes: 2 << 30, os: "Linux", blas: BlasDescription(name: "OpenBLAS", config: "c", coreName: "Zen", threads: 2),
            papi: PAPIDescription(version: "7.0.0", events: [
                EventAvailability(name: "PAPI_TOT_CYC", counts: false, reason: "PAPI_ENOEVNT: Event does not exist", probeValue: nil),
                EventAvailability(name: "perf::TASK-CLOCK", counts: true, reason: nil, probeValue: 123_456),
            ], note: "no PMU"),
            calibration: calibration, source: "this machine")
    }

    @Test func thisMachineWithQuickCalibrationRoundTripsWithTheScriptKeys() throws {
        let (descriptor, _) = try CPUExclusive.run {
            try MachineDescriber(events: ["PAPI_TOT_CYC", "perf::TASK-CLOCK"], calibration: .quick).describeThisMachine()
        }
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("\(descriptor.id).json")
        try descriptor.write(to: url)
        let back = try MachineDescriptor.read(from: url)
        #expect(back == descriptor)

        let calibration = try #require(descriptor.calibration)
        #expect(calibration.budget == .quick)
        #expect(calibration.sgemmGflops1Thread > 0)
        #expect(calibration.sgemmGflopsAllThreads > 0)
        #expect(calibration.triadGBs > 0)
        #expect(calibration.triadGBs1Thread > 0)
        #expect(calibration.sgemm1Thread.threads == 1)
        #expect(calibration.sgemm1Thread.n == 5)
        #expect(calibration.triad1Thread.n == 5)
        #expect(calibration.sgemmAllThreads.threads == descriptor.topology.cores)
        #expect(calibration.triadAllThreads.pus.count == descriptor.topology.cores)
        #expect(calibration.sgemmGflops1Thread == calibration.sgemm1Thread.median)
        #expect(calibration.triadGBs == calibration.triadAllThreads.median)
        for measurement in [calibration.sgemm1Thread, calibration.sgemmAllThreads,
                            calibration.triad1Thread, calibration.triadAllThreads] {
            #expect(measurement.min <= measurement.p10 && measurement.p10 <= measurement.median)
            #expect(measurement.median <= measurement.p90 && measurement.p90 <= measurement.max)
            #expect(measurement.min > 0)
        }

        let json = try object(try JSONSerialization.jsonObject(with: Data(contentsOf: url)), "descriptor")
        expectKeys(json, ["schemaVersion", "id", "cpu", "buildTarget", "topology", "caches", "blas", "papi", "calibration"],
                   in: "descriptor")
        #expect(json["schemaVersion"] as? Int == MachineDescriptor.schemaVersion)
        #expect(json["id"] as? String == descriptor.id)
        #expect(json["buildTarget"] as? String == BuildTarget.current.cpu)

        let cpu = try object(json["cpu"], "cpu")
        expectKeys(cpu, ["vendor", "modelName", "family", "model", "stepping", "isa", "virtualized"], in: "cpu")
        #expect(cpu["isa"] as? [String] == descriptor.cpu.isa)
        #expect(cpu["virtualized"] as? Bool == descriptor.cpu.virtualized)

        let topology = try object(json["topology"], "topology")
        expectKeys(topology, ["packages", "cores", "pus", "numaNodes"], in: "topology")
        #expect(topology["pus"] as? Int == descriptor.topology.pus)

        let caches = try #require(json["caches"] as? [[String: Any]])
        #expect(caches.count == descriptor.caches.count)
        try #require(!caches.isEmpty)
        for cache in caches {
            expectKeys(cache, ["level", "kind", "sizeBytes", "lineBytes", "sharedByPus"], in: "cache")
        }

        let blas = try object(json["blas"], "blas")
        expectKeys(blas, ["name", "config", "coreName", "threads"], in: "blas")

        let papi = try object(json["papi"], "papi")
        expectKeys(papi, ["version", "events"], in: "papi")
        let events = try #require(papi["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["name"] as? String } == ["PAPI_TOT_CYC", "perf::TASK-CLOCK"])
        for event in events {
            expectKeys(event, ["name", "counts"], in: "event")
            let counts = try #require(event["counts"] as? Bool)
            if !counts {
                let reason = try #require(event["reason"] as? String, "\(event["name"] ?? "?") has no reason")
                #expect(!reason.isEmpty)
            }
        }

        let calibrationJSON = try object(json["calibration"], "calibration")
        expectKeys(calibrationJSON, ["sgemmGflops1Thread", "sgemmGflopsAllThreads", "triadGBs"], in: "calibration")
        for key in ["sgemmGflops1Thread", "sgemmGflopsAllThreads", "triadGBs"] {
            let value = try #require(calibrationJSON[key] as? Double, "\(key) is not a number")
            #expect(value > 0, "\(key) = \(value)")
        }
    }

    @Test func syntheticRoundTripAndOmittedCalibration() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let descriptor = Self.synthetic()
        #expect(descriptor.id == "amd-zen3")
        #expect(descriptor.hwnasVersion == HwnasVersion.current)
        #expect(descriptor.buildTarget == "znver3")
        let url = folder.appendingPathComponent("a/b/amd-zen3.json")
        try descriptor.write(to: url)
        #expect(try MachineDescriptor.read(from: url) == descriptor)
        let json = try object(try JSONSerialization.jsonObject(with: Data(contentsOf: url)), "descriptor")
        let calibration = json["calibration"]
        #expect(calibration == nil || calibration is NSNull)
        // The file is pretty JSON ending in a newline (diffable).
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        #expect(descriptor.cache(level: 1, kind: "data")?.sizeBytes == 32768)
        #expect(descriptor.cache(level: 1)?.sizeBytes == 32768)
        #expect(descriptor.cache(level: 1, kind: "instruction") == nil)
        #expect(descriptor.cache(level: 3) == nil)
        #expect(descriptor.device(threads: 2).description == "amd-zen3-t2")
        #expect(descriptor.device(threads: 1, variant: "blas-zen").description == "amd-zen3-t1-blas-zen")
    }

    @Test func readErrorsNameTheFile() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try JSONFormat.encode(Self.synthetic())
        var object = try self.object(try JSONSerialization.jsonObject(with: good), "descriptor")

        let missing = folder.appendingPathComponent("missing.json")
        let missingError = try #require(throws: HwnasError.self) { _ = try MachineDescriptor.read(from: missing) }
        #expect(missingError.message.contains(missing.path))

        let truncated = folder.appendingPathComponent("truncated.json")
        try good.prefix(good.count / 2).write(to: truncated)
        let truncatedError = try #require(throws: HwnasError.self) { _ = try MachineDescriptor.read(from: truncated) }
        #expect(truncatedError.message.contains(truncated.path))

        object["schemaVersion"] = MachineDescriptor.schemaVersion + 1
        let future = folder.appendingPathComponent("future.json")
        try JSONSerialization.data(withJSONObject: object).write(to: future)
        let futureError = try #require(throws: HwnasError.self) { _ = try MachineDescriptor.read(from: future) }
        #expect(futureError.message.contains(future.path))
        #expect(futureError.message.contains("schema \(MachineDescriptor.schemaVersion + 1)"))

        object["schemaVersion"] = MachineDescriptor.schemaVersion
        object["cpu"] = nil
        let noCPU = folder.appendingPathComponent("nocpu.json")
        try JSONSerialization.data(withJSONObject: object).write(to: noCPU)
        let noCPUError = try #require(throws: HwnasError.self) { _ = try MachineDescriptor.read(from: noCPU) }
        #expect(noCPUError.message.contains(noCPU.path))
        #expect(noCPUError.message.contains("'cpu'"), "message: \(noCPUError.message)")
    }
}
