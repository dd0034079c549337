import Foundation
import Support

/// One thread per listed PU, each pinned to its PU, released together to run a share of work.
///
/// Used for multi-core measurements (memory bandwidth): the time reported runs from the moment
/// all threads are pinned and waiting until the last one finishes, so thread start-up is excluded.
/// Each thread follows the denormal rule (`DenormalMode`).
public struct PinnedTeam: Sendable {
    public var pus: [Int]
    public var topology: Topology

    public init(pus: [Int], topology: Topology) {
        self.pus = pus
        self.topology = topology
    }

    /// Runs `body(index)` on thread `index` (pinned to `pus[index]`) and returns the seconds from
    /// the common release to the last thread's end.
    @discardableResult
    public func run(_ body: @escaping @Sendable (Int) -> Void) throws -> Double {
        let state = TeamState()
        for (index, pu) in pus.enumerated() {
            let thread = Thread { [topology] in
                do {
                    try topology.bindCurrentThread(to: [pu])
                    DenormalMode.setFlushing(DenormalMode.rule)
                } catch {
                    state.fail(error)
                }
                state.ready.signal()
                state.go.wait()
                if !state.failed { body(index) }
                state.done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in pus { state.ready.wait() }
        let start = MonotonicClock.now()
        for _ in pus { state.go.signal() }
        for _ in pus { state.done.wait() }
        let seconds = MonotonicClock.seconds(since: start)
        if let error = state.error { throw error }
        return seconds
    }

    private final class TeamState: @unchecked Sendable {
        // `error` is written before `ready` is signalled and read after all `done` signals.
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private(set) var error: Error?


        var failed: Bool { lock.withLock { error != nil } }

        func fail(_ error: Error) {
            lock.withLock { if self.error == nil { self.error = error } }
        }
    }
}
