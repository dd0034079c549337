/// What a workflow tells the person who runs it while it works. Workflows never print: the
/// command line turns these into lines on stdout and stderr (or drops them under --quiet and
/// --json), and tests collect them.
public struct Reporter {
    /// A line of the run's account, such as `searched amd-zen3-t1: 12 sub-networks on the front`.
    public var say: (String) -> Void
    /// Something that does not stop the run but may make its result other than expected.
    public var warn: (String) -> Void
    /// A remark on the side (a predictor fitted or reused), shown even when the account is not.
    public var note: (String) -> Void
    /// The state of long work, replacing the one before.
    public var progress: (String) -> Void
    /// The long work is over: the progress display ends.
    public var progressDone: () -> Void

    public init(say: @escaping (String) -> Void = { _ in }, warn: @escaping (String) -> Void = { _ in },
                note: @escaping (String) -> Void = { _ in }, progress: @escaping (String) -> Void = { _ in },
                progressDone: @escaping () -> Void = {}) {
        self.say = say
        self.warn = warn
        self.note = note
        self.progress = progress
        self.progressDone = progressDone
    }

    /// Tells nobody anything.
    public static var silent: Reporter { Reporter() }
}
