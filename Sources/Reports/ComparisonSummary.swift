/// One table over every pair of a comparison of three devices or more.
public enum ComparisonSummary {
    public static func render(_ comparisons: [DeviceComparison], space: String) -> String {
        var out = ["# \(space): devices compared", ""]
        out.append("Each row reads \"B versus A\": ratios are latency on B over latency on A, and losses are what deploying A's Pareto set on B costs; the search's own spread is the same loss between two searches of B with consecutive seeds (a loss within it is not a difference between the devices). Details: the compare-A-vs-B.md report of each pair.")
        var machines: [(device: String, machine: String)] = []
        for c in comparisons {
            for device in c.devices where !machines.contains(where: { $0.device == device }) {
                if let machine = c.machines?[device] { machines.append((device, machine)) }
            }
        }
        if !machines.isEmpty {
            let distinct = Set(machines.map(\.machine)).count
            let list = machines.map { "\($0.device) on \($0.machine)" }.joined(separator: ", ")
            out.append("Machines: \(list)" + (distinct == 1 ? " (one machine)." : " (\(distinct) machines)."))
        }
        out.append("")
        out.append("| A | B | median ratio B/A | Kendall tau | Pareto overlap | hypervolume loss | search's own spread | given up at the median budget |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|")
        for c in comparisons {
            let overlap = c.paretoOverlap.map { ComparisonFindings.fixed($0.percent, 1) + "%" } ?? "-"
            let loss = c.hypervolumeLoss.map { ComparisonFindings.fixed($0.lossPercent, 2) + "%" } ?? "-"
            let spread = c.hypervolumeLoss?.repeatLossPercent.map { ComparisonFindings.fixed($0, 2) + "%" } ?? "-"
            let budget = c.accuracyLossAtBudget.count > 1 ? c.accuracyLossAtBudget[c.accuracyLossAtBudget.count / 2] : c.accuracyLossAtBudget.first
            let given = budget.map { b in b.loss.map { ComparisonFindings.value($0, b.objective) + " " + b.objective.rawValue + " at " + ComparisonFindings.fixed(b.budgetMs, 2) + " ms" } ?? "none of A's set fits" } ?? "-"
            out.append("| [\(c.first)](compare-\(c.first)-vs-\(c.second).md) | \(c.second) | \(ComparisonFindings.ratio(c.medianRatio)) | \(ComparisonFindings.fixed(c.kendallTau, 3)) | \(overlap) | \(loss) | \(spread) | \(given) |")
        }
        out.append("")
        return out.joined(separator: "\n")
    }
}
