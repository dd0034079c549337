import Foundation
import Workflows

extension Reporter {
    /// The command line's reporter: the account on stdout and a progress line on stderr unless
    /// `quiet` (--quiet, or --json, whose stdout is the document); warnings and notes on stderr
    /// always.
    static func console(quiet: Bool) -> Reporter {
        let progress = ProgressLine(enabled: !quiet)
        return Reporter(
            say: { if !quiet { print($0) } },
            warn: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) },
            note: { FileHandle.standardError.write(Data("\($0)\n".utf8)) },
            progress: progress.update,
            progressDone: progress.finish)
    }
}
