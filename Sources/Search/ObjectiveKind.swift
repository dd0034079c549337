/// The objectives `hwnas search --objectives` knows.
public enum ObjectiveKind: String, CaseIterable, Codable, Sendable {
    case accuracy
    case latency
    case macs
    case params
}
