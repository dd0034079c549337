import Foundation

/// On Ctrl-C during a long run, says what was kept and how to resume, then exits with 130.
final class InterruptNotice: @unchecked Sendable {
    static let shared = InterruptNotice()

    private let lock = NSLock()
    private var source: DispatchSourceSignal?
    private var journal: URL?
    private var progress: ProgressLine?
    private var done = 0
    private var total = 0
    private var first: Int?

    /// Entries already done when this run started (resumed from the journal).
    var resumedFrom: Int { lock.withLock { first ?? 0 } }

    func update(done: Int, total: Int) {
        lock.withLock {
            if first == nil { first = done }
            self.done = done
            self.total = total
        }
    }

    func arm(journal: URL, progress: ProgressLine) {
        lock.withLock {
            self.journal = journal
            self.progress = progress
        }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            let (done, total, journal, progress) = lock.withLock { (self.done, self.total, self.journal, self.progress) }
            progress?.finish()
            let message = "\ninterrupted: \(done) of \(total) entries are kept in \(journal?.relativePath ?? "the journal"); run the same command again to resume\n"
            FileHandle.standardError.write(Data(message.utf8))
            exit(130)
        }
        source.resume()
        lock.withLock { self.source = source }
    }

    func disarm() {
        lock.withLock {
            source?.cancel()
            source = nil
        }
        signal(SIGINT, SIG_DFL)
    }
}
