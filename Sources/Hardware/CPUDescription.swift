import CPlatform
import Foundation
import Support

/// What the CPU is: vendor, model, family/model/stepping, the ISA features that matter for
/// kernels, and whether it runs under a hypervisor.
public struct CPUDescription: Codable, Equatable, Sendable {
    /// "amd", "intel", "arm", ... (lower case, for ids).
    public var vendor: String
    /// The vendor string the CPU reports, e.g. "AuthenticAMD".
    public var vendorString: String
    public var modelName: String
    public var family: Int
    public var model: Int
    public var stepping: Int
    /// Kernel-relevant ISA features present, in the fixed order of `ISAFeature.all`.
    public var isa: [String]
    public var virtualized: Bool
    /// The hypervisor's CPUID signature when virtualized ("KVMKVMKVM", "Microsoft Hv", ...).
    public var hypervisor: String?
    /// The frequency the OS reports for the first PU, in MHz (under a hypervisor often nominal).
    public var frequencyMHz: Double?
    /// The cpufreq scaling governor, when the OS exposes one.
    public var governor: String?

    public init(vendor: String, vendorString: String, modelName: String, family: Int, model: Int,
                stepping: Int, isa: [String], virtualized: Bool, hypervisor: String?,
                frequencyMHz: Double?, governor: String?) {
        self.vendor = vendor
        self.vendorString = vendorString
        self.modelName = modelName
        self.family = family
        self.model = model
        self.stepping = stepping
        self.isa = isa
        self.virtualized = virtualized
        self.hypervisor = hypervisor
        self.frequencyMHz = frequencyMHz
        self.governor = governor
    }

    /// The CPU this process runs on, from /proc/cpuinfo, CPUID and cpufreq.
    public static func current() throws -> CPUDescription {
        guard let text = TextFile.read("/proc/cpuinfo") else {
            throw HwnasError("cannot read /proc/cpuinfo; hwnas describes Linux machines")
        }
        var cpu = try parse(cpuinfo: text)
        if cpu.virtualized, cpu.hypervisor == nil {
            cpu.hypervisor = hypervisorSignature()
        }
        cpu.governor = TextFile.firstLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
        if let khz = TextFile.firstLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq").flatMap(Double.init) {
            cpu.frequencyMHz = khz / 1000
        }
        return cpu
    }

    /// The flags line of /proc/cpuinfo for the first processor, as a set.
    public static func flags(cpuinfo text: String) -> Set<String> {
        let fields = firstProcessorFields(text)
        let line = fields["flags"] ?? fields["Features"] ?? ""
        return Set(line.split(separator: " ").map(String.init))
    }

    /// Parses the first processor's block of /proc/cpuinfo (x86 or Arm layout).
    public static func parse(cpuinfo text: String) throws -> CPUDescription {
        let fields = firstProcessorFields(text)
        let flags = flags(cpuinfo: text)
        if let vendorString = fields["vendor_id"] {
            guard let family = fields["cpu family"].flatMap({ Int($0) }),
                  let model = fields["model"].flatMap({ Int($0) }) else {
                throw HwnasError("/proc/cpuinfo has no 'cpu family' or 'model' for the first processor")
            }
            let vendor = vendorID(vendorString)
            return CPUDescription(
                vendor: vendor, vendorString: vendorString, modelName: fields["model name"] ?? "unknown",
                family: family, model: model, stepping: fields["stepping"].flatMap { Int($0) } ?? 0,
                isa: ISAFeature.present(in: flags), virtualized: flags.contains("hypervisor"),
                hypervisor: nil, frequencyMHz: fields["cpu MHz"].flatMap { Double($0) }, governor: nil)
        }
        if let implementer = fields["CPU implementer"] {
            let code = Int(implementer.dropFirst(2), radix: 16) ?? 0
            let part = Int((fields["CPU part"] ?? "0x0").dropFirst(2), radix: 16) ?? 0
            let vendor = code == 0x41 ? "arm" : code == 0xc0 ? "ampere" : code == 0x61 ? "apple" : String(format: "arm%02x", code)
            return CPUDescription(
                vendor: vendor, vendorString: implementer, modelName: fields["model name"] ?? "unknown",
                family: Int(fields["CPU architecture"] ?? "") ?? 8, model: part,
                stepping: Int(fields["CPU revision"] ?? "") ?? 0,
                isa: ISAFeature.present(in: flags), virtualized: false, hypervisor: nil,
                frequencyMHz: nil, governor: nil)
        }
        throw HwnasError("/proc/cpuinfo has neither 'vendor_id' nor 'CPU implementer'; unknown CPU layout")
    }

    /// The short vendor name of an x86 CPUID vendor string ("AuthenticAMD" -> "amd").
    public static func vendorID(_ vendorString: String) -> String {
        switch vendorString {
        case "AuthenticAMD": return "amd"
        case "GenuineIntel": return "intel"
        case "HygonGenuine": return "hygon"
        default:
            let name = vendorString.lowercased().filter { $0.isLetter || $0.isNumber }
            return name.isEmpty ? "unknown" : name
        }
    }

    private static func firstProcessorFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !fields.isEmpty { break }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }

    /// The hypervisor's 12-byte signature from CPUID leaf 0x40000000.
    static func hypervisorSignature() -> String? {
        var regs: [UInt32] = [0, 0, 0, 0]
        guard hwnas_cpuid(0x4000_0000, 0, &regs) != 0 else { return nil }
        var bytes: [UInt8] = []
        for reg in [regs[1], regs[2], regs[3]] {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((reg >> UInt32(shift)) & 0xFF)) }
        }
        let text = String(decoding: bytes.filter { $0 != 0 }, as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}
