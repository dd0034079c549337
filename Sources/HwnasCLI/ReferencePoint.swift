import ArgumentParser

/// The value of `--reference`: the hypervolume reference point, one finite number per
/// objective, `1.1,1.1`. How many values it needs depends on the problem or the objectives: the
/// command checks that in `validate()`.
struct ReferencePoint: Equatable, Sendable, CustomStringConvertible {
    let values: [Double]
    /// The text as given.
    let text: String

    init(parsing text: String) throws {
        values = try text.split(separator: ",", omittingEmptySubsequences: false).map { item -> Double in
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let value = Double(trimmed), value.isFinite else {
                throw ListGrammarError("'\(trimmed)' is not a number")
            }
            return value
        }
        self.text = text
    }

    /// Refuses a point whose length is not `objectivesCount`, naming `subject` (the problem, or
    /// the objectives) and its count.
    func check(objectivesCount: Int, of subject: String) throws {
        guard values.count == objectivesCount else {
            throw ValidationError("--reference has \(values.count) value\(values.count == 1 ? "" : "s"); \(subject) has \(objectivesCount) objectives")
        }
    }

    var description: String { text }
}

extension ReferencePoint: ExpressibleByArgument {
    init?(argument: String) {
        guard let parsed = try? ReferencePoint(parsing: argument) else { return nil }
        self = parsed
    }
}
