import Foundation

/// Removes a scratch file when the process is interrupted (Ctrl-C or SIGTERM) and exits with
/// 128 + the signal, so that a run that keeps nothing worth resuming leaves nothing behind.
final class InterruptCleanup: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private let file: URL
    private let progress: ProgressLine?

    init(removing file: URL, progress: ProgressLine?) {
        self.file = file
        self.progress = progress
    }

    func arm() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [file, progress] in
                progress?.finish()
                try? FileManager.default.removeItem(at: file)
                FileHandle.standardError.write(Data("\ninterrupted: nothing was kept\n".utf8))
                exit(128 + number)
            }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }

    func disarm() {
        lock.withLock {
            for source in sources { source.cancel() }
            sources = []
        }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
