import Foundation
import Support

/// The objectives `hwnas search --objectives` knows.
public enum ObjectiveKind: String, CaseIterable, Codable, Sendable {
    case accuracy
    case latency
    case macs
    case params

    /// Parses a comma-separated list such as `accuracy,latency`; errors name the unknown entry.
    public static func parseList(_ text: String) throws -> [ObjectiveKind] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var kinds: [ObjectiveKind] = []
        for name in names {
            guard let kind = ObjectiveKind(rawValue: name.lowercased()) else {
                throw HwnasError("unknown objective '\(name)'; the objectives are \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !kinds.contains(kind) else { throw HwnasError("objective '\(name)' is listed twice") }
            kinds.append(kind)
        }
        guard kinds.count >= 2 else {
            throw HwnasError("--objectives needs two or more of \(allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
        }
        return kinds
    }
}
