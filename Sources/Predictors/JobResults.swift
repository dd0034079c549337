import Foundation

/// Results of the parallel fits, each written once by the thread that computed it.
final class JobResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [[Double]?]
    private(set) var error: Error?
    /// Results set so far.
    private(set) var done = 0

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    /// Stores a result and returns how many are done.
    @discardableResult
    func set(_ index: Int, _ value: [Double]) -> Int {
        lock.lock()
        defer { lock.unlock() }
        values[index] = value
        done += 1
        return done
    }

    func fail(_ error: Error) {
        lock.lock()
        if self.error == nil { self.error = error }
        lock.unlock()
    }
}
