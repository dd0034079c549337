import Foundation

/// A fixed set of threads that run one body together, each with its own index: the caller
/// runs index 0, and `size - 1` helper threads, started once and kept, run the others.
///
/// For work cut into the same number of parts many times over (the shards of every training
/// step): between runs the helpers wait on a condition, so a run costs a wake-up rather than a
/// thread start. `setUp(index)` runs once on each helper as it starts (to pin it, or to set
/// its floating-point mode); when one throws, `init` throws. Runs come from one thread at a
/// time and do not nest; the body must be safe to call from several threads at once.
public final class WorkerTeam: @unchecked Sendable {
    /// Threads of a run, the caller's included.
    public let size: Int
    private let state = State()

    /// A team of `size` threads: the caller and `size - 1` helpers, each set up by `setUp`.
    public init(size: Int, setUp: @escaping @Sendable (Int) throws -> Void = { _ in }) throws {
        guard size >= 1 else { throw HwnasError("a worker team needs at least one thread; got \(size)") }
        self.size = size
        let state = self.state
        for index in 1..<size {
            let thread = Thread { state.serve(index, setUp: setUp) }
            thread.stackSize = 8 << 20
            thread.start()
        }
        state.condition.lock()
        while state.ready < size - 1 { state.condition.wait() }
        let error = state.error
        state.condition.unlock()
        if let error {
            stop()
            throw error
        }
    }

    deinit {
        stop()
    }

    /// Runs `body(index)` for every index of the team at once (0 on the calling thread) and
    /// returns when all have returned.
    public func run(_ body: (Int) -> Void) {
        if size == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { body in
            state.condition.lock()
            precondition(state.body == nil, "WorkerTeam.run does not nest")
            state.body = body
            state.pending = size - 1
            state.generation += 1
            state.condition.broadcast()
            state.condition.unlock()
            body(0)
            state.condition.lock()
            while state.pending > 0 { state.condition.wait() }
            state.body = nil
            state.condition.unlock()
        }
    }

    /// The `part`-th of `parts` near-equal contiguous pieces of 0 ..< count (the first pieces
    /// one longer when `count` does not divide): a fixed split, so work cut with it is done in
    /// the same pieces every time.
    public static func range(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        let base = count / parts, extra = count % parts
        let start = part * base + min(part, extra)
        return start..<(start + base + (part < extra ? 1 : 0))
    }

    /// Lets the helpers end (they finish a run in progress first).
    private func stop() {
        state.condition.lock()
        state.stopping = true
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// What the caller and the helpers share; every field is read and written under `condition`.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var generation = 0
        var pending = 0
        var ready = 0
        var stopping = false
        var body: ((Int) -> Void)?
        var error: Error?

        func serve(_ index: Int, setUp: @Sendable (Int) throws -> Void) {
            var failed = false
            do {
                try setUp(index)
            } catch {
                failed = true
                condition.lock()
                if self.error == nil { self.error = error }
                condition.unlock()
            }
            condition.lock()
            ready += 1
            condition.broadcast()
            var seen = generation
            while !failed {
                while generation == seen && !stopping { condition.wait() }
                if stopping { break }
                seen = generation
                let body = self.body!
                condition.unlock()
                body(index)
                condition.lock()
                pending -= 1
                if pending == 0 { condition.broadcast() }
            }
            condition.unlock()
        }
    }
}
