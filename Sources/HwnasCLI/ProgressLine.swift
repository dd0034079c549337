import Foundation

/// A one-line progress display on stderr, redrawn in place on a terminal (at most ten times a
/// second) and printed as plain lines otherwise, at most one every five seconds, so logs stay
/// readable.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let terminal: Bool
    private var shown = false
    private let lock = NSLock()
    private var last = Date.distantPast

    init(enabled: Bool) {
        self.enabled = enabled
        terminal = isatty(STDERR_FILENO) != 0
    }

    func update(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(last) >= (terminal ? 0.1 : 5) else { return }
            last = now
            if terminal {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
                shown = true
            } else {
                FileHandle.standardError.write(Data("\(text)\n".utf8))
            }
        }
    }

    func finish() {
        lock.withLock {
            if shown {
                FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
                shown = false
            }
        }
    }
}
