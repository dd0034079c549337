import CPlatform
import Counters
import Foundation
import Support

/// Runs work on a fresh OS thread bound to chosen processing units, and reports where it ran.
///
/// A fresh thread rather than the caller's: binding a thread of a shared pool (Dispatch, Swift
/// concurrency) would leak the binding into unrelated work. Counters (PAPI counts per thread)
/// must also be created inside `body`, on the pinned thread. The thread follows the denormal rule
/// (`DenormalMode`).
public enum PinnedThread {
    /// The outcome of pinned work: its value, and the PUs the thread was observed on.
    public struct Outcome<Value> {
        public var value: Value
        /// The PUs the OS reported the thread on, sampled at start and end of `body`.
        public var observedPus: Set<Int>
        /// The binding the OS reported after pinning.
        public var binding: [Int]
    }

    /// Runs `body` on a new thread pinned to `pus` (OS indices) and waits for it.
    public static func run<Value>(on pus: [Int], topology: Topology,
                                  _ body: () throws -> Value) throws -> Outcome<Value> {
        try withoutActuallyEscaping(body) { body in
            let box = Box(body: body)
            let thread = Thread {
                box.execute(pus: pus, topology: topology)
            }
            thread.stackSize = 16 << 20
            thread.start()
            box.done.wait()
            switch box.result! {
            case .success(let value):
                return Outcome(value: value, observedPus: box.observed, binding: box.binding)
            case .failure(let error):
                throw error
            }
        }
    }

    private final class Box<Value>: @unchecked Sendable {
        // Written by the worker thread before `done` is signalled, read after: the semaphore
        // orders the accesses.
        // Released by the worker before it signals `done`, so the caller's non-escaping closure
        // is no longer referenced once `run` returns.
        var body: (() throws -> Value)?
        let done = DispatchSemaphore(value: 0)
        var result: Result<Value, Error>?
        var observed: Set<Int> = []
        var binding: [Int] = []

        init(body: @escaping () throws -> Value) {
            self.body = body
        }

        func execute(pus: [Int], topology: Topology) {
            defer {
                body = nil
                PAPILibrary.unregisterCurrentThread()
                done.signal()
            }
            do {
                try topology.bindCurrentThread(to: pus)
                DenormalMode.setFlushing(DenormalMode.rule)
                binding = topology.currentThreadBinding()
                observed.insert(Int(hwnas_current_cpu()))
                let value = try body!()
                observed.insert(Int(hwnas_current_cpu()))
                result = .success(value)
            } catch {
                result = .failure(error)
            }
        }
    }
}
