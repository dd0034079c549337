import ArgumentParser
import Search

/// The value of `--objectives`: two or more objectives, `accuracy,latency` or `latency,macs:max`.
///
/// Parsed when the command line is, so that a typo is a usage error naming the value; whether
/// the objectives fit the rest of the command (an accuracy source, a reference point) is the
/// command's `validate()` or the search plan's to check.
struct ObjectiveList: Equatable, Sendable, CustomStringConvertible {
    let specs: [ObjectiveSpec]
    /// The text as given.
    let text: String

    init(parsing text: String) throws {
        specs = try ObjectiveSpec.parseList(text)
        self.text = text
    }

    var description: String { text }
}

extension ObjectiveList: ExpressibleByArgument {
    init?(argument: String) {
        guard let parsed = try? ObjectiveList(parsing: argument) else { return nil }
        self = parsed
    }
}
