import Foundation
import Workflows

/// Collects what a workflow reports, as the command line would print it.
final class RecordingReporter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var said: [String] = []
    private(set) var warnings: [String] = []
    private(set) var notes: [String] = []
    private(set) var progress: [String] = []
    private(set) var progressEnded = 0

    var reporter: Reporter {
        Reporter(say: { line in self.lock.withLock { self.said.append(line) } },
                 warn: { line in self.lock.withLock { self.warnings.append(line) } },
                 note: { line in self.lock.withLock { self.notes.append(line) } },
                 progress: { line in self.lock.withLock { self.progress.append(line) } },
                 progressDone: { self.lock.withLock { self.progressEnded += 1 } })
    }
}
