import Foundation
import Support

/// Runs work as a device runs it: on a fresh thread pinned to the first of `pus`, with the BLAS
/// using one thread per listed PU, each pinned, and restored afterwards.
public enum PinnedDevice {
    /// Checks `pus` against the machine: each must exist, none twice.
    public static func validate(pus: [Int], topology: Topology) throws {
        guard !pus.isEmpty else { throw HwnasError("no cores given") }
        let known = Set(topology.puIndices)
        if let missing = pus.first(where: { !known.contains($0) }) {
            throw HwnasError("core \(missing) does not exist on this machine (PUs: \(topology.puIndices.map(String.init).joined(separator: ",")))")
        }
        guard Set(pus).count == pus.count else {
            throw HwnasError("cores \(pus.map(String.init).joined(separator: ",")) name a PU twice")
        }
    }

    /// The PUs of the first `threads` cores, one PU per core (hardware threads of one core
    /// share its units, so a device's threads get cores of their own).
    public static func defaultPUs(threads: Int, topology: Topology) throws -> [Int] {
        let cores = topology.corePus.compactMap(\.first)
        guard threads >= 1, threads <= cores.count else {
            throw HwnasError("\(threads) threads asked for, but this machine has \(cores.count) cores")
        }
        return Array(cores.prefix(threads))
    }

    /// The BLAS's thread count and worker pool are one per process: two devices running at once
    /// (two threads of a library user, tests in parallel) would set each other's thread count
    /// and stop each other's workers (OpenBLAS deadlocks when two threads shut its pool down at
    /// once). One device at a time holds them; a body must not start another device.
    private static let blasOwner = NSLock()

    /// Runs `body` pinned, with `pus.count` BLAS threads pinned one per PU. Every thread that
    /// computes follows the denormal rule (`DenormalMode.rule`): the pinned thread sets it, and
    /// the BLAS's workers are started anew from that thread so they inherit it; they are stopped
    /// afterwards, so later BLAS calls elsewhere start workers of their own caller's mode. Runs
    /// one device at a time in the process (`blasOwner`).
    public static func run<T>(pus: [Int], topology: Topology, _ body: () throws -> T) throws -> T {
        try validate(pus: pus, topology: topology)
        blasOwner.lock()
        defer { blasOwner.unlock() }
        let previous = BlasLibrary.threads
        defer { BlasLibrary.setThreads(previous) }
        return try PinnedThread.run(on: pus, topology: topology) { () throws -> T in
            BlasLibrary.setThreads(pus.count)
            guard pus.count > 1 else { return try body() }
            BlasLibrary.restartThreads()
            defer { BlasLibrary.stopThreads() }
            try BlasLibrary.pinThreads(to: pus)
            return try body()
        }.value
    }

    /// Runs `body` with a team of one thread per PU of `pus`, each pinned to its own PU and
    /// following the denormal rule: the caller's thread is pinned to the first, and the BLAS
    /// runs on the thread that calls it (one BLAS thread), so that every thread of the team
    /// computes its own products on its own core. The BLAS's thread count is restored afterwards.
    /// One device at a time, as `run`.
    public static func runTeam<T>(pus: [Int], topology: Topology, _ body: (WorkerTeam) throws -> T) throws -> T {
        try validate(pus: pus, topology: topology)
        blasOwner.lock()
        defer { blasOwner.unlock() }
        let previous = BlasLibrary.threads
        defer { BlasLibrary.setThreads(previous) }
        return try PinnedThread.run(on: [pus[0]], topology: topology) { () throws -> T in
            BlasLibrary.setThreads(1)
            let team = try WorkerTeam(size: pus.count) { index in
                try topology.bindCurrentThread(to: [pus[index]])
                DenormalMode.setFlushing(DenormalMode.rule)
            }
            return try body(team)
        }.value
    }
}
