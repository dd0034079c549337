import Support

/// The spaces hwnas knows, by name.
public enum SearchSpaces {
    public static let all: [any SearchSpace] = [BertBaseSpace(), MiniLML6Space(), ViTB16Space(), OFAMobileNetV3Space()]

    /// The space of a name; the error lists the known names.
    public static func named(_ name: String) throws -> any SearchSpace {
        guard let space = all.first(where: { $0.name == name }) else {
            throw HwnasError("unknown space '\(name)'; known spaces: \(all.map(\.name).joined(separator: ", "))")
        }
        return space
    }
}
