/// Why an option's list value does not parse; ArgumentParser prints it after the flag and value.
struct ListGrammarError: Error, CustomStringConvertible, Equatable {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
