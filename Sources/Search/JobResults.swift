import Foundation

/// Results of the parallel fits, each written once by the thread that computed it.
final class JobResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [[Double]?]
    private(set) var error: Error?

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: [Double]) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func fail(_ error: Error) {
        lock.lock()
        if self.error == nil { self.error = error }
        lock.unlock()
    }
}
