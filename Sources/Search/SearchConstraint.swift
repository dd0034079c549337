import Foundation
import Support
import SuperNet

/// A budget on one objective, `--max latency=8ms` or `--min accuracy=75`, in the objective's
/// natural unit (milliseconds, MACs, parameters, metric points).
public struct SearchConstraint: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Bound: String, Codable, Sendable {
        case max
        case min
    }

    public var objective: ObjectiveKind
    public var bound: Bound
    public var value: Double

    public init(objective: ObjectiveKind, bound: Bound, value: Double) {
        self.objective = objective
        self.bound = bound
        self.value = value
    }

    /// Parses `name=value[unit]`: latency takes us, ms or s (ms when bare); MACs and params take
    /// K, M or G; accuracy a bare number. Errors name the option, the value and what is wrong.
    public init(parsing text: String, bound: Bound) throws {
        do {
            let budget = try Self.budget(parsing: text)
            self.init(objective: budget.objective, bound: bound, value: budget.value)
        } catch let error as HwnasError {
            throw HwnasError("--\(bound.rawValue) '\(text)': \(error.message)")
        }
    }

    /// The objective and value of `name=value[unit]`, in the objective's natural unit; errors
    /// say what is wrong in the text (the caller names the option).
    public static func budget(parsing text: String) throws -> (objective: ObjectiveKind, value: Double) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[1].isEmpty else {
            throw HwnasError("expected name=value, like latency=8ms, macs=300M or accuracy=75")
        }
        guard let kind = ObjectiveKind(rawValue: parts[0].lowercased()) else {
            throw HwnasError("unknown objective '\(parts[0])'; the objectives are \(ObjectiveKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let scales: [String: Double]
        switch kind {
        case .latency: scales = ["": 1, "ms": 1, "us": 1e-3, "s": 1000]
        case .macs, .params: scales = ["": 1, "k": 1e3, "m": 1e6, "g": 1e9]
        case .accuracy: scales = ["": 1, "%": 1]
        }
        let raw = parts[1]
        let numberEnd = raw.firstIndex { !($0.isNumber || ".eE-+".contains($0)) } ?? raw.endIndex
        let unit = raw[numberEnd...].lowercased()
        guard let number = Double(raw[..<numberEnd]), number.isFinite else {
            throw HwnasError("'\(raw)' is not a number")
        }
        guard let scale = scales[unit] else {
            throw HwnasError("unit '\(unit)' does not fit \(kind.rawValue) (use \(scales.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")))")
        }
        return (kind, number * scale)
    }

    /// How far `value` is outside the bound, relative to the bound: 0 when it holds.
    public func violation(_ value: Double) -> Double {
        let excess = bound == .max ? value - self.value : self.value - value
        guard excess > 0 else { return 0 }
        return excess / max(abs(self.value), 1e-12)
    }

    public var description: String {
        "\(objective.rawValue) \(bound == .max ? "<=" : ">=") \(Self.format(value, objective))"
    }

    static func format(_ value: Double, _ kind: ObjectiveKind) -> String {
        switch kind {
        case .latency: String(format: "%.3g ms", value)
        case .macs, .params: CountFormat.text(value, format: "%.4g")
        case .accuracy: String(format: "%.4g", value)
        }
    }
}
