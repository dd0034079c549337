import Foundation

/// A linear axis over a data range, with "nice" tick values (1, 2 or 5 times a power of ten)
/// so that plotted numbers read easily.
public struct AxisScale: Sendable {
    public var lower: Double
    public var upper: Double
    public var ticks: [Double]

    /// Covers `values` with about `tickCount` ticks; a single value gets a small range around it.
    public init(covering values: [Double], tickCount: Int = 6) {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if high - low < 1e-12 * max(abs(high), 1) {
            let pad = max(abs(high) * 0.05, 1e-9)
            low -= pad
            high += pad
        }
        let raw = (high - low) / Double(max(tickCount - 1, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        lower = floor(low / step) * step
        upper = ceil(high / step) * step
        ticks = stride(from: lower, through: upper + step * 1e-9, by: step).map { $0 }
    }

    /// Where `value` falls between 0 (lower) and 1 (upper).
    public func fraction(_ value: Double) -> Double {
        upper > lower ? (value - lower) / (upper - lower) : 0.5
    }

    /// A tick label with no more digits than the step needs.
    public func label(_ value: Double) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, Int(-floor(log10(step)) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0)))
        return String(format: "%.\(decimals)f", abs(value) < step * 1e-9 ? 0 : value)
    }
}
