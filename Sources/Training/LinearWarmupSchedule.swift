import Foundation
import Support

/// The learning rate of BERT fine-tuning: linear warm-up from 0 to the peak over the first
/// steps, then linear decay to 0 at the last step (Hugging Face's
/// `get_linear_schedule_with_warmup`).
///
/// `rate(at:)` takes the number of optimiser steps already done, as PyTorch's `LambdaLR` counts
/// them: the first update runs at rate(at: 0) = 0, the peak is reached at `warmupSteps`.
/// Rates are Doubles, as `LambdaLR`'s are. Warm-up as a fraction of the total rounds up, as
/// Hugging Face's `warmup_ratio` does (6% of 300 steps: 18; of 2,042: 123).
public struct LinearWarmupSchedule: Equatable, Codable, Sendable {
    public let peakRate: Double
    public let totalSteps: Int
    public let warmupSteps: Int

    public init(peakRate: Double, totalSteps: Int, warmupSteps: Int) throws(HwnasError) {
        guard peakRate >= 0, peakRate.isFinite else { throw HwnasError("learning rate \(peakRate) must be finite and non-negative") }
        guard totalSteps > 0, (0...totalSteps).contains(warmupSteps) else {
            throw HwnasError("schedule: \(warmupSteps) warm-up steps of \(totalSteps) in total; need 0 <= warm-up <= total, total > 0")
        }
        self.peakRate = peakRate
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps
    }

    /// Warm-up over ⌈fraction · totalSteps⌉ steps (BERT fine-tuning uses 0.06).
    public init(peakRate: Double, totalSteps: Int, warmupFraction: Double = 0.06) throws(HwnasError) {
        guard (0...1).contains(warmupFraction) else { throw HwnasError("warm-up fraction \(warmupFraction) must be in [0, 1]") }
        try self.init(peakRate: peakRate, totalSteps: totalSteps, warmupSteps: Int((warmupFraction * Double(totalSteps)).rounded(.up)))
    }

    /// The rate of the update that follows `step` completed updates.
    public func rate(at step: Int) -> Double {
        let factor: Double
        if step < warmupSteps {
            factor = Double(step) / Double(max(1, warmupSteps))
        } else {
            factor = max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
        }
        return peakRate * factor
    }
}
