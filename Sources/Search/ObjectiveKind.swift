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
        try ObjectiveSpec.parseList(text).map(\.kind)
    }
}
