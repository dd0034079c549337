import Foundation
import Search
import SuperNet

/// The findings of a comparison in plain words, built from its numbers only, so the report
/// can never say something its JSON does not.
public enum ComparisonFindings {
    public static func sentences(_ c: DeviceComparison) -> [String] {
        let a = c.first, b = c.second
        var sentences: [String] = []
        if let ma = c.machines?[a], let mb = c.machines?[b], ma != mb {
            sentences.append("The devices are on different machines: \(a) on \(ma), \(b) on \(mb); every difference below is the machines' as well as the deployments'.")
        }
        sentences.append(speed(c))
        if let dear = c.blocks.first, let cheap = c.blocks.last, c.blocks.count > 1 {
            if dear.relative > 1.05 || cheap.relative < 0.95 {
                sentences.append("Relative to that, the block that is dearest on \(b) is \(dear.key) (ratio \(ratio(dear.ratio)), \(percent(dear.relative)) of the median ratio) and the cheapest is \(cheap.key) (ratio \(ratio(cheap.ratio)), \(percent(cheap.relative))).")
            } else {
                sentences.append("Every block keeps within 5% of the median ratio: the devices differ by a uniform factor.")
            }
        }
        let agreement = c.kendallTau >= 0.999 ? "the same order"
            : c.kendallTau >= 0.9 ? "nearly the same order" : c.kendallTau >= 0.7 ? "a noticeably different order" : "a very different order"
        sentences.append("Over \(c.sampleSize) random sub-networks, predicted latency ranks them in \(agreement) on both devices: Kendall tau \(fixed(c.kendallTau, 3)), Spearman rho \(fixed(c.spearmanRho, 3)).")
        if let move = c.rankMoves.first, move.move != 0 {
            sentences.append("The largest rank move is \(abs(move.move)) places (rank \(move.rank[a]!) on \(a), \(move.rank[b]!) on \(b), of \(c.sampleSize)).")
        }
        if let overlap = c.paretoOverlap {
            sentences.append("The Pareto sets share \(overlap.common) sub-networks (\(overlap.sizes[a]!) on \(a), \(overlap.sizes[b]!) on \(b)): \(fixed(overlap.percent, 1))% of their union.")
            sentences.append("Evaluated on \(b), \(overlap.stillOptimal) of \(a)'s \(overlap.sizes[a]!) sub-networks (\(fixed(overlap.stillOptimalPercent, 1))%) are dominated by none of \(b)'s own set.")
        }
        if let loss = c.hypervolumeLoss, let spread = loss.repeatLossPercent {
            let within = abs(loss.lossPercent) <= abs(spread)
            let effect = loss.lossPercent >= 0
                ? "loses \(fixed(loss.lossPercent, 2))% of the hypervolume of \(b)'s own set"
                : "covers \(fixed(-loss.lossPercent, 2))% more hypervolume than \(b)'s own set (loss \(fixed(loss.lossPercent, 2))%)"
            sentences.append("Deploying \(a)'s Pareto set on \(b) \(effect); a second search of \(b) with the next seed differs from the first by \(fixed(spread, 2))%, so the loss is \(within ? "within" : "beyond") the search's own spread.")
        } else if let loss = c.hypervolumeLoss {
            if loss.lossPercent <= 0 {
                sentences.append("Deploying \(a)'s Pareto set on \(b) loses no hypervolume (\(fixed(loss.lossPercent, 2))%): evaluated on \(b) it covers as much as \(b)'s own set, within the spread between two runs of the search.")
            } else {
                sentences.append("Deploying \(a)'s Pareto set on \(b) loses \(fixed(loss.lossPercent, 2))% of the hypervolume of \(b)'s own set.")
            }
        }
        for budget in c.accuracyLossAtBudget {
            let label = budget.objective.rawValue
            let limit = "Within \(fixed(budget.budgetMs, 2)) ms on \(b)"
            guard let moved = budget.bestTransferred, let loss = budget.loss else {
                sentences.append("\(limit), none of \(a)'s set fits; \(b)'s own set offers \(label) \(value(budget.bestOwn, budget.objective)).")
                continue
            }
            let verdict = loss > 0
                ? (budget.objective == .accuracy ? "\(fixed(loss, 3)) points given up" : "\(value(loss, budget.objective)) worse")
                : loss < 0 ? "nothing given up (\(a)'s set does \(budget.objective == .accuracy ? fixed(-loss, 3) + " points" : value(-loss, budget.objective)) better there)" : "nothing given up"
            sentences.append("\(limit), the best of \(a)'s set has \(label) \(value(moved, budget.objective)), \(b)'s own \(value(budget.bestOwn, budget.objective)): \(verdict).")
        }
        return sentences
    }

    static func speed(_ c: DeviceComparison) -> String {
        let r = c.medianRatio
        if abs(r - 1) < 0.005 {
            return "Blocks take the same time on \(c.first) and \(c.second) (median ratio \(ratio(r)))."
        }
        return r > 1
            ? "Blocks take \(ratio(r)) times as long on \(c.second) as on \(c.first) (median ratio over \(c.blocks.count) blocks)."
            : "Blocks take \(ratio(r)) times as long on \(c.second) as on \(c.first): \(ratio(1 / r)) times faster (median ratio over \(c.blocks.count) blocks)."
    }

    public static func fixed(_ x: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", x)
    }

    public static func ratio(_ x: Double) -> String {
        String(format: "%.3f", x)
    }

    static func percent(_ x: Double) -> String {
        String(format: "%.0f%%", x * 100)
    }

    /// A value of an objective in its unit.
    public static func value(_ x: Double, _ objective: ObjectiveKind) -> String {
        switch objective {
        case .latency: String(format: "%.3f ms", x)
        case .macs, .params: CountFormat.text(x, format: "%.2f")
        case .accuracy: String(format: "%.3f", x)
        }
    }
}
