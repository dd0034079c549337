import Support

/// Machine ids: `<vendor>-<uarch>`, derived from the CPU.
///
/// Model names say little under a hypervisor ("AMD EPYC"), so the micro-architecture comes from
/// CPUID family and model. An unknown pair gives `<vendor>-f<family>m<model>`, never a guess.
public enum MachineID {
    /// Checks that `text` can be a machine id, which names files (`<machine>.json`): lower-case
    /// letters and digits in dash-separated parts, so an id read from a file can never climb out
    /// of the folder it names a file in.
    public static func validate(_ text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) }) else {
            throw HwnasError("machine id '\(text)' must be lower-case letters and digits in dash-separated parts, like amd-zen3")
        }
    }

    public static func derive(from cpu: CPUDescription) -> String {
        "\(cpu.vendor)-\(microarchitecture(vendor: cpu.vendor, family: cpu.family, model: cpu.model))"
    }

    /// The micro-architecture's short name for a vendor, family and model.
    public static func microarchitecture(vendor: String, family: Int, model: Int) -> String {
        switch vendor {
        case "amd", "hygon": return amd(family: family, model: model) ?? "f\(family)m\(model)"
        case "intel": return intel(family: family, model: model) ?? "f\(family)m\(model)"
        default: return "f\(family)m\(model)"
        }
    }

    static func amd(family: Int, model: Int) -> String? {
        switch family {
        case 0x15: return "bulldozer"
        case 0x17:
            switch model {
            case 0x00...0x0F: return "zen"
            case 0x10...0x2F: return "zenplus"
            case 0x30...0xFF: return "zen2"
            default: return nil
            }
        case 0x18: return "dhyana"
        case 0x19:
            switch model {
            case 0x00...0x0F, 0x20...0x5F: return "zen3"
            case 0x10...0x1F, 0x60...0xAF: return "zen4"
            default: return nil
            }
        case 0x1A: return "zen5"
        default: return nil
        }
    }

    static func intel(family: Int, model: Int) -> String? {
        guard family == 6 else { return nil }
        switch model {
        case 0x2A, 0x2D: return "sandybridge"
        case 0x3A, 0x3E: return "ivybridge"
        case 0x3C, 0x3F, 0x45, 0x46: return "haswell"
        case 0x3D, 0x47, 0x4F, 0x56: return "broadwell"
        case 0x4E, 0x5E, 0x8E, 0x9E, 0xA5, 0xA6: return "skylake"
        case 0x55: return "skylakex"
        case 0x66: return "cannonlake"
        case 0x7D, 0x7E: return "icelake"
        case 0x6A, 0x6C: return "icelakex"
        case 0x8C, 0x8D: return "tigerlake"
        case 0xA7: return "rocketlake"
        case 0x97, 0x9A: return "alderlake"
        case 0xB7, 0xBA, 0xBF: return "raptorlake"
        case 0xAA, 0xAC: return "meteorlake"
        case 0x8F: return "sapphirerapids"
        case 0xCF: return "emeraldrapids"
        case 0xAD, 0xAE: return "graniterapids"
        case 0xAF: return "sierraforest"
        default: return nil
        }
    }
}
