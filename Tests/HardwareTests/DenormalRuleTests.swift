import CBlas
import CPlatform
import Foundation
import Hardware
import HwnasTestSupport
import Support
import Testing

/// The denormal rule holds on every thread that computes a measured block: the pinned thread,
/// each `PinnedTeam` thread, and the BLAS's own workers, whose MXCSR cannot be read from outside,
/// so it is seen in what they compute: a product of denormal inputs is exactly zero when the
/// thread that computed each part of it flushes, and denormal when it does not.
@Suite(.serialized) struct DenormalRuleTests {
    /// C = A * B on the BLAS's threads, A all denormal (the smallest normal / 16) and B all ones: returns how many
    /// elements of C are not zero, in the top and bottom halves (OpenBLAS splits the rows or
    /// columns of C over its threads).
    static func nonzeroOfDenormalProduct(order n: Int) -> (top: Int, bottom: Int) {
        let a = [Float](repeating: Float.leastNormalMagnitude / 16, count: n * n)
        let b = [Float](repeating: 1, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        let n32 = Int32(n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a, n32, b, n32, 0, &c, n32)
        let half = n * n / 2
        return (c[..<half].filter { $0 != 0 }.count, c[half...].filter { $0 != 0 }.count)
    }

    @Test func theRuleIsToFlush() {
        #expect(DenormalMode.rule)
        #expect(hwnas_mxcsr_flush_denormals_bits() == 0x8040)
    }

    @Test func settingTheModeTogglesBothBits() {
        DenormalMode.with(flushing: true) {
            #expect(DenormalMode.isFlushing)
            #expect(hwnas_mxcsr_get() & 0x8040 == 0x8040)
            DenormalMode.with(flushing: false) { #expect(!DenormalMode.isFlushing) }
            #expect(DenormalMode.isFlushing)
        }
    }

    @Test func everyPinnedTeamThreadFlushes() throws {
        let topology = try Topology.current()
        let pus = try PinnedDevice.defaultPUs(threads: topology.corePus.count, topology: topology)
        let seen = Seen(count: pus.count)
        try PinnedTeam(pus: pus, topology: topology).run { index in seen.set(index, DenormalMode.isFlushing) }
        #expect(seen.values == Array(repeating: true, count: pus.count))
    }

    /// Two BLAS threads, one per core: every element of the product is flushed inside the
    /// pinned device, where OpenBLAS's worker computes half of it; outside, where the rule does
    /// not apply, none is (the workers started for the device do not outlive it).
    @Test func theBlasWorkersFlushInsideAPinnedDeviceAndNotAfter() throws {
        let topology = try Topology.current()
        let cores = topology.corePus.compactMap(\.first)
        try #require(cores.count >= 2, "needs two cores")
        let pus = Array(cores.prefix(2))
        let n = 384
        try CPUExclusive.run {
            let inside = try PinnedDevice.run(pus: pus, topology: topology) { () -> (Bool, Int, (top: Int, bottom: Int)) in
                (DenormalMode.isFlushing, BlasLibrary.threads, Self.nonzeroOfDenormalProduct(order: n))
            }
            #expect(inside.0, "the measuring thread does not flush")
            #expect(inside.1 == 2)
            #expect(inside.2.top == 0 && inside.2.bottom == 0, "denormals survived on a BLAS thread: \(inside.2)")

            let previous = BlasLibrary.threads
            defer { BlasLibrary.setThreads(previous) }
            BlasLibrary.setThreads(2)
            let outside = Self.productOnAFreshThread(order: n)
            #expect(outside.top == n * n / 2 && outside.bottom == n * n / 2, "the rule leaked out of the device: \(outside)")
        }
    }

    /// The product on a fresh, unpinned thread (the default floating-point mode).
    static func productOnAFreshThread(order n: Int) -> (top: Int, bottom: Int) {
        let box = Box()
        let thread = Thread {
            box.value = nonzeroOfDenormalProduct(order: n)
            box.done.signal()
        }
        thread.start()
        box.done.wait()
        return box.value
    }

    final class Box: @unchecked Sendable {
        var value = (top: 0, bottom: 0)
        let done = DispatchSemaphore(value: 0)
    }

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var flags: [Bool]
        init(count: Int) { flags = Array(repeating: false, count: count) }
        func set(_ index: Int, _ value: Bool) { lock.withLock { flags[index] = value } }
        var values: [Bool] { lock.withLock { flags } }
    }
}
