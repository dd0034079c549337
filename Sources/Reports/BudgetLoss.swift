import Search

/// At a latency budget on the second device: the best value of the other objective among the
/// sub-networks of each set that fit the budget there.
public struct BudgetLoss: Codable, Sendable {
    public var budgetMs: Double
    /// The objective traded against latency (`accuracy`, else e.g. `macs`).
    public var objective: ObjectiveKind
    /// Best value in the second device's own set within the budget.
    public var bestOwn: Double
    /// Best value of the first device's set within the budget on the second device; nil when
    /// none of its members fits.
    public var bestTransferred: Double?
    /// How much worse the transferred choice is (accuracy points given up, or extra MACs);
    /// 0 when it is as good.
    public var loss: Double?
}
