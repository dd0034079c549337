import Counters
import Foundation
import Hardware
@testable import HwnasCLI
import Testing

/// The readable summary `hwnas hardware` prints.
@Suite struct DescriptorSummaryTests {
    @Test(arguments: [
        (0, "0 B"), (512, "512 B"), (1023, "1023 B"), (1024, "1 KiB"), (1536, "1.5 KiB"), (32768, "32 KiB"),
        (524_288, "512 KiB"), (33_554_432, "32 MiB"), (25_276_063_744, "23.5 GiB"), (1 << 40, "1 TiB"),
    ])
    func bytes(count: Int, text: String) {
        #expect(DescriptorSummary.bytes(count) == text)
    }

    static func descriptor(calibrated: Bool) -> MachineDescriptor {
        let cpu = CPUDescription(
            vendor: "amd", vendorString: "AuthenticAMD", modelName: "AMD EPYC", family: 25, model: 1, stepping: 1,
            isa: ["avx2", "fma"], virtualized: true, hypervisor: "KVMKVMKVM", frequencyMHz: 2445.4, governor: nil)
        let measurement = CalibrationMeasurement(kernel: "sgemm", unit: "GFLOP/s", size: 768, threads: 1, pus: [0],
                                                 samples: [50, 52, 54])
        let triad = CalibrationMeasurement(kernel: "triad", unit: "GB/s", size: 1 << 22, threads: 2, pus: [0, 1],
                                           samples: [20, 21, 22])
        return MachineDescriptor(
            id: "amd-zen3", cpu: cpu, build: BuildTarget(cpu: "znver3", features: ["avx2", "fma"], compiler: "clang"),
            topology: TopologySummary(packages: 1, cores: 2, pus: 2, numaNodes: 1, numaMemoryBytes: 4 << 30,
                                      numa: [NUMANodeDescription(index: 0, memoryBytes: 4 << 30, pus: [0, 1])],
                                      corePus: [[0], [1]]),
            caches: [
                CacheDescription(level: 1, kind: "data", sizeBytes: 32768, lineBytes: 64, associativity: 8,
                                 sharedByPus: 1, instances: 2),
                CacheDescription(level: 3, kind: "unified", sizeBytes: 32 << 20, lineBytes: 64, associativity: 16,
                                 sharedByPus: 2, instances: 1),
            ],
            memoryBytes: 8 << 30, os: "Linux",
            blas: BlasDescription(name: "OpenBLAS", config: "OpenBLAS 0.3.21", coreName: "Zen", threads: 2),
            papi: PAPIDescription(version: "7.0.0", events: [
                EventAvailability(name: "PAPI_TOT_CYC", counts: false, reason: "PAPI_ENOEVNT: Event does not exist", probeValue: nil),
                EventAvailability(name: "perf::TASK-CLOCK", counts: true, reason: nil, probeValue: 1000),
            ], note: "no hardware event counts"),
            calibration: calibrated ? Calibration(budget: .quick, sgemm1Thread: measurement, sgemmAllThreads: measurement,
                                                  triad1Thread: triad, triadAllThreads: triad) : nil,
            source: "this machine")
    }

    @Test func summaryOfAnUncalibratedDescriptor() {
        let text = DescriptorSummary(descriptor: Self.descriptor(calibrated: false)).text
        #expect(text.contains("machine   amd-zen3"), "\(text)")
        #expect(text.contains("virtual machine (KVMKVMKVM)"), "\(text)")
        #expect(text.contains("L1d 32 KiB x2 (1 PU each)"), "\(text)")
        #expect(text.contains("L3 32 MiB x1 (2 PUs each)"), "\(text)")
        #expect(text.contains("8 GiB MemTotal"), "\(text)")
        #expect(text.contains("counting: perf::TASK-CLOCK"), "\(text)")
        #expect(text.contains("not counting: PAPI_TOT_CYC (PAPI_ENOEVNT: Event does not exist)"), "\(text)")
        #expect(text.contains("roofline  not measured"), "\(text)")
        #expect(!text.contains("source"), "\(text)")
    }

    @Test func summaryOfACalibratedDescriptor() {
        let text = DescriptorSummary(descriptor: Self.descriptor(calibrated: true)).text
        #expect(text.contains("sgemm 768^3, 1 thread: 52.0 GFLOP/s median"), "\(text)")
        #expect(text.contains("triad 32 MiB x3, 2 threads: 21.0 GB/s median"), "\(text)")
        #expect(!text.contains("not measured"), "\(text)")
    }

    @Test func summaryOfAnXMLDescriptorSaysWhereItCameFrom() {
        var descriptor = Self.descriptor(calibrated: false)
        descriptor.source = "xml:/tmp/other.topology.xml"
        let text = DescriptorSummary(descriptor: descriptor).text
        #expect(text.contains("source    xml:/tmp/other.topology.xml: topology only"), "\(text)")
    }
}
