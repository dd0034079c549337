import Hardware
import Testing

/// Machine ids from CPUID family and model.
@Suite struct MachineIDTests {
    @Test(arguments: [
        ("amd", 25, 0x01, "zen3"),
        ("amd", 25, 0x21, "zen3"),
        ("amd", 25, 0x50, "zen3"),
        ("amd", 25, 0x61, "zen4"),
        ("amd", 25, 0x11, "zen4"),
        ("amd", 25, 0xA0, "zen4"),
        ("amd", 23, 0x01, "zen"),
        ("amd", 23, 0x18, "zenplus"),
        ("amd", 23, 0x31, "zen2"),
        ("amd", 26, 0x02, "zen5"),
        ("amd", 21, 0x02, "bulldozer"),
        ("hygon", 24, 0x00, "dhyana"),
        ("intel", 6, 0x55, "skylakex"),
        ("intel", 6, 0x8F, "sapphirerapids"),
        ("intel", 6, 0x2A, "sandybridge"),
        ("intel", 6, 0x3C, "haswell"),
        ("intel", 6, 0x9E, "skylake"),
        ("intel", 6, 0x6A, "icelakex"),
        ("intel", 6, 0x97, "alderlake"),
    ])
    func knownMicroarchitectures(vendor: String, family: Int, model: Int, name: String) {
        #expect(MachineID.microarchitecture(vendor: vendor, family: family, model: model) == name)
    }

    @Test(arguments: [
        ("amd", 25, 0xC0),
        ("amd", 16, 4),
        ("intel", 6, 0x01),
        ("intel", 15, 6),
        ("arm", 8, 0xd0c),
        ("centaur", 6, 15),
    ])
    func unknownPairsAreSpelledOut(vendor: String, family: Int, model: Int) {
        #expect(MachineID.microarchitecture(vendor: vendor, family: family, model: model) == "f\(family)m\(model)")
    }

    @Test func deriveJoinsVendorAndMicroarchitecture() {
        func cpu(_ vendor: String, _ family: Int, _ model: Int) -> CPUDescription {
            CPUDescription(vendor: vendor, vendorString: vendor, modelName: "x", family: family, model: model,
                           stepping: 0, isa: [], virtualized: false, hypervisor: nil, frequencyMHz: nil, governor: nil)
        }
        #expect(MachineID.derive(from: cpu("amd", 25, 1)) == "amd-zen3")
        #expect(MachineID.derive(from: cpu("amd", 25, 0x61)) == "amd-zen4")
        #expect(MachineID.derive(from: cpu("intel", 6, 0x55)) == "intel-skylakex")
        #expect(MachineID.derive(from: cpu("intel", 6, 0x01)) == "intel-f6m1")
        #expect(MachineID.derive(from: cpu("amd", 99, 7)) == "amd-f99m7")
    }
}
