import Foundation
import Support

/// An objective as `--objectives` names it: a kind and its sense. Costs are minimised and
/// accuracy maximised; `macs:max` or `params:max` turn a cost into a capacity to maximise, the
/// usual stand-in for accuracy in a space that has no accuracy source yet (the front then holds
/// the sub-networks with the most compute per millisecond on the device).
public struct ObjectiveSpec: Hashable, Sendable, CustomStringConvertible {
    public var kind: ObjectiveKind
    public var sense: ObjectiveSense

    public init(kind: ObjectiveKind, sense: ObjectiveSense? = nil) {
        self.kind = kind
        self.sense = sense ?? (kind == .accuracy ? .maximize : .minimize)
    }

    public var description: String {
        sense == ObjectiveSpec(kind: kind).sense ? kind.rawValue : "\(kind.rawValue):\(sense == .maximize ? "max" : "min")"
    }

    /// Parses `accuracy,latency` or `latency,macs:max`; errors name the entry that is wrong.
    public static func parseList(_ text: String) throws -> [ObjectiveSpec] {
        var specs: [ObjectiveSpec] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard let kind = ObjectiveKind(rawValue: parts[0].lowercased()) else {
                throw HwnasError("unknown objective '\(parts[0])'; the objectives are \(ObjectiveKind.allCases.map(\.rawValue).joined(separator: ", ")) (macs and params take :max to be maximised)")
            }
            var sense: ObjectiveSense?
            if parts.count == 2 {
                switch parts[1].lowercased() {
                case "max" where kind == .macs || kind == .params: sense = .maximize
                case "min" where kind != .accuracy: sense = .minimize
                default:
                    throw HwnasError("objective '\(entry)': only macs and params can be maximised (macs:max), and accuracy is always maximised")
                }
            }
            guard !specs.contains(where: { $0.kind == kind }) else { throw HwnasError("objective '\(parts[0])' is listed twice") }
            specs.append(ObjectiveSpec(kind: kind, sense: sense))
        }
        guard specs.count >= 2 else {
            throw HwnasError("--objectives needs two or more of \(ObjectiveKind.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
        }
        return specs
    }
}
