import Foundation
import Hardware
import Support
import Testing

/// Device ids `<machine>-t<threads>[-<variant>]`.
@Suite struct DeviceIDTests {
    @Test func machineAndThreads() throws {
        let id = try DeviceID(parsing: "amd-zen3-t1")
        #expect(id.machine == "amd-zen3")
        #expect(id.threads == 1)
        #expect(id.variant == nil)
        #expect(id.description == "amd-zen3-t1")
    }

    @Test func withVariant() throws {
        let id = try DeviceID(parsing: "amd-zen3-t1-blas-sandybridge")
        #expect(id.machine == "amd-zen3")
        #expect(id.threads == 1)
        #expect(id.variant == "blas-sandybridge")
        #expect(id.description == "amd-zen3-t1-blas-sandybridge")
    }

    @Test(arguments: [
        "amd-zen3-t1", "amd-zen3-t2", "amd-zen3-t64-x", "intel-skylakex-t16-blas-haswell",
        "amd-f25m1-t1", "arm-f8m3340-t4", "a-t1", "amd-zen3-t1-t2",
    ])
    func descriptionRoundTrips(text: String) throws {
        let id = try DeviceID(parsing: text)
        #expect(id.description == text)
        #expect(try DeviceID(parsing: id.description) == id)
    }

    @Test func theFirstThreadPartAfterTheMachineCounts() throws {
        let id = try DeviceID(parsing: "amd-zen3-t1-t2")
        #expect(id.machine == "amd-zen3")
        #expect(id.threads == 1)
        #expect(id.variant == "t2")
    }

    @Test func builtIdsPrintTheGrammar() {
        #expect(DeviceID(machine: "intel-skylakex", threads: 8).description == "intel-skylakex-t8")
        #expect(DeviceID(machine: "amd-zen3", threads: 2, variant: "noavx").description == "amd-zen3-t2-noavx")
    }

    @Test(arguments: [
        "amd-zen3", "AMD-zen3-t1", "amd-zen3-t0", "amd--t1", "", "t1", "amd-zen3-t", "amd-zen3-tx",
        "amd-zen3-t1-", "-amd-zen3-t1", "amd_zen3-t1", "amd zen3-t1", "amd-zen3-t-1",
    ])
    func invalidIdsThrow(text: String) throws {
        let error = try #require(throws: HwnasError.self) {
            _ = try DeviceID(parsing: text)
        }
        #expect(error.message.contains("'\(text)'"), "message: \(error.message)")
    }

    @Test func codableAsAPlainString() throws {
        struct Holder: Codable, Equatable {
            var device: DeviceID
        }
        let holder = Holder(device: DeviceID(machine: "amd-zen3", threads: 2, variant: "blas-zen"))
        let data = try JSONEncoder().encode(holder)
        #expect(String(decoding: data, as: UTF8.self) == #"{"device":"amd-zen3-t2-blas-zen"}"#)
        #expect(try JSONDecoder().decode(Holder.self, from: data) == holder)
        let error = try #require(throws: HwnasError.self) {
            _ = try JSONDecoder().decode(Holder.self, from: Data(#"{"device":"amd-zen3-t0"}"#.utf8))
        }
        #expect(error.message.contains("'amd-zen3-t0'"), "message: \(error.message)")
    }
}
