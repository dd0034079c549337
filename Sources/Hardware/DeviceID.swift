import Support

/// A deployment target: a machine at a thread count, optionally with a variant,
/// `<machine>-t<threads>[-<variant>]`, e.g. `amd-zen3-t1` or `amd-zen3-t1-blas-sandybridge`.
public struct DeviceID: Codable, Hashable, Sendable, CustomStringConvertible {
    public var machine: String
    public var threads: Int
    public var variant: String?

    public init(machine: String, threads: Int, variant: String? = nil) {
        self.machine = machine
        self.threads = threads
        self.variant = variant
    }

    /// Parses a device id; the error names the part that does not fit the grammar.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) }) else {
            throw HwnasError("device id '\(text)' must be lower-case letters and digits in dash-separated parts, like amd-zen3-t1")
        }
        guard let threadPart = parts.indices.dropFirst().first(where: { index in
            let part = parts[index]
            return part.first == "t" && part.count > 1 && part.dropFirst().allSatisfy(\.isNumber)
        }) else {
            throw HwnasError("device id '\(text)' has no thread part: expected <machine>-t<threads>[-<variant>], like amd-zen3-t1")
        }
        guard let threads = Int(parts[threadPart].dropFirst()), threads >= 1 else {
            throw HwnasError("device id '\(text)': the thread count must be a whole number from 1 up")
        }
        machine = parts[..<threadPart].joined(separator: "-")
        self.threads = threads
        let rest = parts[(threadPart + 1)...]
        variant = rest.isEmpty ? nil : rest.joined(separator: "-")
    }

    public var description: String {
        "\(machine)-t\(threads)" + (variant.map { "-\($0)" } ?? "")
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }
}
