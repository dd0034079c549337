import Foundation
import Hardware
import Support
import Testing

/// `CPUDescription.parse(cpuinfo:)` on hand-written /proc/cpuinfo texts.
@Suite struct CPUDescriptionParsingTests {
    static let intel = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        cpu family\t: 6
        model\t\t: 85
        model name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz
        stepping\t: 4
        microcode\t: 0x2006e05
        cpu MHz\t\t: 2400.000
        cache size\t: 28160 KB
        flags\t\t: fpu vme de pse tsc msr sse sse2 ssse3 fma cx16 sse4_1 sse4_2 avx f16c avx2 bmi1 bmi2 avx512f avx512dq avx512cd avx512bw avx512vl
        bogomips\t: 4800.00

        processor\t: 1
        vendor_id\t: GenuineIntel
        cpu family\t: 6
        model\t\t: 106
        model name\t: a different second processor
        stepping\t: 6
        flags\t\t: fpu sse avx512_vnni avx512_bf16 amx_tile hypervisor

        """

    static let amd = """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        cpu family\t: 25
        model\t\t: 1
        model name\t: AMD EPYC 7763 64-Core Processor
        stepping\t: 1
        microcode\t: 0x1000065
        cpu MHz\t\t: 2445.404
        cache size\t: 512 KB
        flags\t\t: fpu vme de pse tsc msr pae sse sse2 ht pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm bmi1 avx2 smep bmi2 erms
        bogomips\t: 4890.80

        """

    static let arm = """
        processor\t: 0
        BogoMIPS\t: 243.75
        Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
        CPU implementer\t: 0x41
        CPU architecture: 8
        CPU variant\t: 0x3
        CPU part\t: 0xd0c
        CPU revision\t: 1

        processor\t: 1
        BogoMIPS\t: 243.75
        Features\t: fp asimd sve
        CPU implementer\t: 0x41
        CPU architecture: 8
        CPU variant\t: 0x3
        CPU part\t: 0xd40
        CPU revision\t: 1

        """

    @Test func intelSample() throws {
        let cpu = try CPUDescription.parse(cpuinfo: Self.intel)
        #expect(cpu.vendor == "intel")
        #expect(cpu.vendorString == "GenuineIntel")
        #expect(cpu.modelName == "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz")
        #expect(cpu.family == 6)
        #expect(cpu.model == 85)
        #expect(cpu.stepping == 4)
        // Only the first processor's flags, in ISAFeature order.
        #expect(cpu.isa == ["sse4.2", "avx", "avx2", "fma", "f16c", "bmi2", "avx512f", "avx512bw", "avx512vl"])
        #expect(!cpu.virtualized)
        #expect(cpu.hypervisor == nil)
        #expect(cpu.frequencyMHz == 2400)
        #expect(MachineID.derive(from: cpu) == "intel-skylakex")
    }

    @Test func amdSample() throws {
        let cpu = try CPUDescription.parse(cpuinfo: Self.amd)
        #expect(cpu.vendor == "amd")
        #expect(cpu.vendorString == "AuthenticAMD")
        #expect(cpu.modelName == "AMD EPYC 7763 64-Core Processor")
        #expect(cpu.family == 25)
        #expect(cpu.model == 1)
        #expect(cpu.stepping == 1)
        #expect(cpu.isa == ["sse4.2", "avx", "avx2", "fma", "f16c", "bmi2"])
        #expect(!cpu.isa.contains("avx512f"))
        #expect(cpu.virtualized)
        #expect(cpu.frequencyMHz == 2445.404)
        #expect(MachineID.derive(from: cpu) == "amd-zen3")
    }

    @Test func armSample() throws {
        let cpu = try CPUDescription.parse(cpuinfo: Self.arm)
        #expect(cpu.vendor == "arm")
        #expect(cpu.vendorString == "0x41")
        #expect(cpu.family == 8)
        #expect(cpu.model == 0xd0c)
        #expect(cpu.stepping == 1)
        #expect(cpu.isa == ["neon"], "the second processor's sve must not leak in")
        #expect(!cpu.virtualized)
        #expect(cpu.modelName == "unknown")
        #expect(CPUDescription.flags(cpuinfo: Self.arm).contains("asimddp"))
        #expect(MachineID.derive(from: cpu) == "arm-f8m3340")
    }

    @Test(arguments: [("0xc0", "ampere"), ("0x61", "apple"), ("0x4e", "arm4e")])
    func armImplementers(code: String, vendor: String) throws {
        let text = Self.arm.replacingOccurrences(of: "CPU implementer\t: 0x41", with: "CPU implementer\t: \(code)")
        let cpu = try CPUDescription.parse(cpuinfo: text)
        #expect(cpu.vendor == vendor)
        #expect(cpu.vendorString == code)
    }

    @Test func otherX86VendorsAreLowerCasedLettersAndDigits() throws {
        let text = Self.amd.replacingOccurrences(of: "AuthenticAMD", with: "Centaur Hauls-2")
        let cpu = try CPUDescription.parse(cpuinfo: text)
        #expect(cpu.vendor == "centaurhauls2")
        #expect(cpu.vendorString == "Centaur Hauls-2")
        #expect(MachineID.derive(from: cpu) == "centaurhauls2-f25m1")
    }

    @Test func leadingBlankLinesAreSkipped() throws {
        let cpu = try CPUDescription.parse(cpuinfo: "\n\n" + Self.amd)
        #expect(cpu.model == 1)
        #expect(cpu.vendor == "amd")
    }

    @Test(arguments: [
        "",
        "hello world\nthis is not cpuinfo\n",
        "\u{0}\u{1}garbage: ::: \n: \n",
        // An x86 layout without cpu family and model.
        "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: x\n",
        // A non-numeric family.
        "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: six\nmodel\t\t: 85\n",
    ])
    func garbageThrows(text: String) throws {
        let error = try #require(throws: HwnasError.self) {
            _ = try CPUDescription.parse(cpuinfo: text)
        }
        // The file and the field it lacks or cannot read.
        #expect(error.message.contains("/proc/cpuinfo has") && error.message.contains("'"), "message: \(error.message)")
    }

    @Test func garbageErrorExplains() throws {
        let error = try #require(throws: HwnasError.self) {
            _ = try CPUDescription.parse(cpuinfo: "nothing here")
        }
        #expect(error.message.contains("vendor_id"), "message: \(error.message)")
    }

    @Test func thisMachineParses() throws {
        let cpu = try CPUDescription.current()
        #expect(!cpu.vendor.isEmpty)
        #expect(cpu.vendor == cpu.vendor.lowercased())
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let parsed = try CPUDescription.parse(cpuinfo: text)
        #expect(parsed.vendor == cpu.vendor)
        #expect(parsed.family == cpu.family)
        #expect(parsed.model == cpu.model)
        #expect(parsed.isa == cpu.isa)
    }
}
