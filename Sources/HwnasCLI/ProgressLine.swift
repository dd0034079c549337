import Foundation

/// A one-line progress display on stderr, redrawn in place on a terminal (at most ten times a
/// second) and printed as plain lines otherwise, at most one every five seconds, so logs stay
/// readable. In a log the last state is always written when the work ends, so a log never stops
/// at a state the work went past ("generation 1/5" when five ran).
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let terminal: Bool
    private var shown = false
    private let lock = NSLock()
    private var last = Date.distantPast
    /// The latest state not yet written to the log (throttled away).
    private var pending: String?

    init(enabled: Bool) {
        self.enabled = enabled
        terminal = isatty(STDERR_FILENO) != 0
    }

    func update(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(last) >= (terminal ? 0.1 : 5) else {
                pending = text
                return
            }
            last = now
            pending = nil
            if terminal {
                FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
                shown = true
            } else {
                FileHandle.standardError.write(Data("\(text)\n".utf8))
            }
        }
    }

    /// Ends the display: clears the line on a terminal; in a log writes the final state if the
    /// throttle held it back. The next `update` starts afresh.
    func finish() {
        lock.withLock {
            if shown {
                FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
                shown = false
            }
            if !terminal, let pending {
                FileHandle.standardError.write(Data("\(pending)\n".utf8))
            }
            pending = nil
            last = .distantPast
        }
    }
}
