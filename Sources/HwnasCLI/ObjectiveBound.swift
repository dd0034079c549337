import ArgumentParser
import Search

/// The value of one `--max` or `--min`: `name=value[unit]`, like `latency=8ms`, `macs=300M` or
/// `accuracy=75`, in the objective's natural unit. The option says which bound it is.
struct ObjectiveBound: Equatable, Sendable, CustomStringConvertible {
    let objective: ObjectiveKind
    let value: Double
    /// The text as given.
    let text: String

    init(parsing text: String) throws {
        (objective, value) = try SearchConstraint.budget(parsing: text)
        self.text = text
    }

    func constraint(_ bound: SearchConstraint.Bound) -> SearchConstraint {
        SearchConstraint(objective: objective, bound: bound, value: value)
    }

    var description: String { text }
}

extension ObjectiveBound: ExpressibleByArgument {
    init?(argument: String) {
        guard let parsed = try? ObjectiveBound(parsing: argument) else { return nil }
        self = parsed
    }
}
