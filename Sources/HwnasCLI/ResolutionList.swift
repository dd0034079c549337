import ArgumentParser

/// The value of one `--resolution`: input resolutions in pixels, `224` or `160,192,224`.
///
/// Strict: positive decimal numbers separated by single commas, so that `,,` or `-` is refused
/// instead of meaning "every resolution" or crashing. Whether the space has a resolution is
/// the space's to check.
struct ResolutionList: Equatable, Sendable {
    let pixels: [Int]

    init(parsing text: String) throws {
        var pixels: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                throw ListGrammarError("'\(text)' has an empty item: give resolutions in pixels like 224 or 160,192,224")
            }
            guard trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(trimmed), value > 0 else {
                throw ListGrammarError("'\(trimmed)' is not a resolution in pixels: give positive numbers like 224 or 160,192,224")
            }
            pixels.append(value)
        }
        self.pixels = pixels
    }
}

extension ResolutionList: ExpressibleByArgument {
    init?(argument: String) {
        guard let parsed = try? ResolutionList(parsing: argument) else { return nil }
        self = parsed
    }
}
