import Counters
import Foundation
import Hardware
import Testing

/// The descriptor of this machine against what Linux itself reports in /proc and /sys.
///
/// Serialized: describing the machine pins a thread and probes PAPI counters.
@Suite(.serialized) struct DescriptorVersusLinuxTests {
    let descriptor: MachineDescriptor

    init() throws {
        (descriptor, _) = try MachineDescriber(events: ["perf::TASK-CLOCK"], calibration: nil).describeThisMachine()
    }

    // MARK: - What Linux says, parsed here independently of the sources

    /// The key/value fields of the first processor block of /proc/cpuinfo.
    static func cpuinfoFields() throws -> [String: String] {
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        var fields: [String: String] = [:]
        for line in text.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if fields.isEmpty { continue } else { break }
            }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
            if fields[key] == nil { fields[key] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return fields
    }

    static func flags() throws -> Set<String> {
        let fields = try cpuinfoFields()
        return Set((fields["flags"] ?? fields["Features"] ?? "").split(separator: " ").map(String.init))
    }

    static func sysfs(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "32K" -> 32768, "32768K" -> 33554432, "1M" -> 1048576, "512" -> 512.
    static func parseSize(_ text: String) -> Int? {
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let multiplier = multipliers[last] {
            return Int(text.dropLast()).map { $0 * multiplier }
        }
        return Int(text)
    }

    /// "0-1" -> [0, 1], "0,2,4-6" -> [0, 2, 4, 5, 6].
    static func parseList(_ text: String) -> [Int] {
        text.split(separator: ",").flatMap { range -> [Int] in
            let ends = range.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if ends.count == 2 { return Array(ends[0]...ends[1]) }
            return ends
        }
    }

    struct SysfsCache {
        var level: Int
        var kind: String
        var size: Int
        var line: Int
        var sharedPus: Int
    }

    static func sysfsCaches() -> [SysfsCache] {
        let root = "/sys/devices/system/cpu/cpu0/cache"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return entries.filter { $0.hasPrefix("index") }.sorted().compactMap { index in
            let path = "\(root)/\(index)"
            guard let level = sysfs("\(path)/level").flatMap({ Int($0) }),
                  let type = sysfs("\(path)/type"),
                  let size = sysfs("\(path)/size").flatMap(parseSize),
                  let line = sysfs("\(path)/coherency_line_size").flatMap({ Int($0) }),
                  let shared = sysfs("\(path)/shared_cpu_list") else { return nil }
            let kind = type == "Data" ? "data" : type == "Instruction" ? "instruction" : "unified"
            return SysfsCache(level: level, kind: kind, size: size, line: line, sharedPus: parseList(shared).count)
        }
    }

    // MARK: - Tests

    @Test func cpuIdentityMatchesProcCpuinfo() throws {
        let fields = try Self.cpuinfoFields()
        let cpu = descriptor.cpu
        if let vendor = fields["vendor_id"] {
            #expect(cpu.vendorString == vendor)
            #expect(cpu.family == Int(try #require(fields["cpu family"])))
            #expect(cpu.model == Int(try #require(fields["model"])))
            #expect(cpu.stepping == Int(fields["stepping"] ?? "0"))
            #expect(cpu.modelName == fields["model name"])
            let expectedVendor = ["AuthenticAMD": "amd", "GenuineIntel": "intel"][vendor]
            if let expectedVendor { #expect(cpu.vendor == expectedVendor) }
        } else {
            #expect(cpu.vendorString == fields["CPU implementer"])
        }
        #expect(descriptor.id == MachineID.derive(from: cpu))
        #expect(descriptor.id.hasPrefix("\(cpu.vendor)-"))
        #expect(descriptor.source == "this machine")
        #expect(descriptor.schemaVersion == MachineDescriptor.schemaVersion)
    }

    @Test func isaFollowsTheFlags() throws {
        let flags = try Self.flags()
        let isa = Set(descriptor.cpu.isa)
        #expect(isa.contains("avx2") == flags.contains("avx2"), "isa \(isa)")
        #expect(isa.contains("fma") == flags.contains("fma"), "isa \(isa)")
        #expect(isa.contains("avx512f") == flags.contains("avx512f"), "isa \(isa)")
        #expect(isa.contains("avx512vnni") == flags.contains("avx512_vnni"), "isa \(isa)")
        #expect(isa.contains("neon") == (flags.contains("asimd") || flags.contains("neon")), "isa \(isa)")
        for feature in ISAFeature.all {
            #expect(isa.contains(feature.name) == !Set(feature.flags).isDisjoint(with: flags),
                    "\(feature.name) against flags \(feature.flags)")
        }
        // Reported in the fixed order of ISAFeature.all.
        let order = ISAFeature.all.map(\.name)
        #expect(descriptor.cpu.isa == order.filter(isa.contains))
    }

    @Test func virtualizedExactlyWhenTheHypervisorFlagIsSet() throws {
        let flags = try Self.flags()
        #expect(descriptor.cpu.virtualized == flags.contains("hypervisor"))
        #if arch(x86_64)
        // On x86 the hypervisor flag promises CPUID leaf 0x40000000 and its signature.
        if descriptor.cpu.virtualized {
            let hypervisor = try #require(descriptor.cpu.hypervisor)
            #expect(!hypervisor.isEmpty)
        }
        #endif
        if !descriptor.cpu.virtualized {
            #expect(descriptor.cpu.hypervisor == nil)
        }
    }

    @Test func processingUnitsMatchSysconf() {
        let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        #expect(descriptor.topology.pus == online)
        #expect(descriptor.topology.corePus.flatMap { $0 }.count == online)
        #expect(Set(descriptor.topology.corePus.flatMap { $0 }).count == online)
        #expect(descriptor.topology.cores == descriptor.topology.corePus.count)
        #expect(descriptor.topology.packages >= 1)
        #expect(descriptor.topology.numaNodes >= 1)
        #expect(descriptor.topology.cores <= descriptor.topology.pus)
    }

    @Test func coresAndPackagesMatchSysfsSiblingLists() throws {
        let online = Self.parseList(try #require(Self.sysfs("/sys/devices/system/cpu/online")))
        var cores = Set<[Int]>()
        var packages = Set<[Int]>()
        for cpu in online {
            let topology = "/sys/devices/system/cpu/cpu\(cpu)/topology"
            let core = try #require(Self.sysfs("\(topology)/core_cpus_list") ?? Self.sysfs("\(topology)/thread_siblings_list"))
            let package = try #require(Self.sysfs("\(topology)/package_cpus_list") ?? Self.sysfs("\(topology)/core_siblings_list"))
            cores.insert(Self.parseList(core))
            packages.insert(Self.parseList(package))
        }
        #expect(descriptor.topology.cores == cores.count)
        #expect(descriptor.topology.packages == packages.count)
        #expect(Set(descriptor.topology.corePus) == cores)
    }

    @Test func memoryMatchesMeminfoAndSysconf() throws {
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let line = try #require(meminfo.components(separatedBy: "\n").first { $0.hasPrefix("MemTotal:") })
        let kib = try #require(line.split(separator: " ").dropFirst().first.flatMap { Int($0) })
        let memory = try #require(descriptor.memoryBytes)
        #expect(memory == kib * 1024)
        let physical = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        #expect(abs(Double(memory) - physical) <= 0.02 * physical, "MemTotal \(memory) vs sysconf \(physical)")
        // hwloc's NUMA memory is per-node memory; it cannot exceed what the OS has in total.
        #expect(descriptor.topology.numaMemoryBytes > 0)
        #expect(Double(descriptor.topology.numaMemoryBytes) <= 1.01 * Double(memory))
    }

    @Test func cachesMatchSysfs() throws {
        let expected = Self.sysfsCaches()
        try #require(expected.contains { $0.level == 1 && $0.kind == "data" }, "sysfs shows no L1 data cache")
        try #require(expected.contains { $0.level == 2 }, "sysfs shows no L2 cache")
        for cache in expected {
            // hwloc leaves instruction caches out unless asked for them; compare them when present.
            guard cache.kind != "instruction" || descriptor.cache(level: cache.level, kind: cache.kind) != nil else {
                continue
            }
            let found = try #require(descriptor.cache(level: cache.level, kind: cache.kind),
                                     "no L\(cache.level) \(cache.kind) cache in \(descriptor.caches)")
            #expect(found.sizeBytes == cache.size, "L\(cache.level) \(cache.kind) size")
            #expect(found.lineBytes == cache.line, "L\(cache.level) \(cache.kind) line size")
            #expect(found.sharedByPus == cache.sharedPus, "L\(cache.level) \(cache.kind) shared PUs")
            #expect(found.instances >= 1)
            #expect(found.instances * found.sharedByPus >= descriptor.topology.pus,
                    "L\(cache.level) instances must cover every PU")
        }
        // Caches grow with the level.
        let data1 = try #require(descriptor.cache(level: 1, kind: "data"))
        let level2 = try #require(descriptor.cache(level: 2))
        #expect(level2.sizeBytes > data1.sizeBytes)
        // Every cache the descriptor reports is one sysfs shows.
        for cache in descriptor.caches {
            #expect(expected.contains { $0.level == cache.level && $0.kind == cache.kind },
                    "L\(cache.level) \(cache.kind) is not in sysfs")
        }
        if let level3 = descriptor.cache(level: 3) {
            #expect(level3.sizeBytes > level2.sizeBytes)
            #expect(expected.contains { $0.level == 3 }, "hwloc reports an L3 sysfs does not show")
        }
    }

    @Test func blasAndPapiAreDescribed() throws {
        let blas = try #require(descriptor.blas)
        #expect(blas.name == "OpenBLAS")
        #expect(blas.threads >= 1)
        #expect(!blas.config.isEmpty)
        let papi = try #require(descriptor.papi)
        #expect(papi.events.map(\.name) == ["perf::TASK-CLOCK"])
        #expect(papi.events.first?.counts == true)
        #expect(papi.version.split(separator: ".").count == 3)
        #expect(descriptor.calibration == nil)
        #expect(descriptor.buildTarget == BuildTarget.current.cpu)
        #expect(descriptor.build == BuildTarget.current)
    }
}
