import Foundation
import Search

/// The Markdown report of a comparison: the findings first, then the tables behind them.
public enum ComparisonMarkdown {
    public static func render(_ c: DeviceComparison, svgNames: [String] = []) -> String {
        let a = c.first, b = c.second
        var out: [String] = []
        out.append("# \(c.space): \(a) vs \(b)")
        out.append("")
        out.append("Cost tables: `\(c.tables[a] ?? "?")` (\(a)) and `\(c.tables[b] ?? "?")` (\(b)).")
        if let machines = c.machines {
            out.append("Machines: \(a) on \(machines[a] ?? "?"), \(b) on \(machines[b] ?? "?")\(machines[a] == machines[b] ? " (the same machine)" : " (different machines)").")
        }
        if !c.paretoSets.isEmpty {
            out.append("Pareto sets: " + c.devices.compactMap { d in c.paretoSets[d].map { "`\($0)` (\(d))" } }.joined(separator: " and ") + ".")
        }
        out.append("Ratios are latency on \(b) over latency on \(a); hwnas \(c.hwnasVersion), \(c.createdAt).")
        out.append("")
        out.append("## Findings")
        out.append("")
        out += c.findings.map { "- \($0)" }
        out.append("")
        for name in svgNames { out.append("![\(name)](\(name))") }
        if !svgNames.isEmpty { out.append("") }

        out.append("## Blocks")
        out.append("")
        out.append("Median ratio \(ComparisonFindings.ratio(c.medianRatio)) over \(c.blocks.count) block configurations. ")
        out.append("'relative' is a block's ratio over the median ratio: above 1, the block is dearer on \(b) than the devices' overall difference says.")
        out.append("")
        let shown = c.blocks.count <= 24 ? c.blocks : Array(c.blocks.prefix(12)) + Array(c.blocks.suffix(12))
        out.append("| block | \(a) ms | \(b) ms | ratio | relative |")
        out.append("|---|---:|---:|---:|---:|")
        for (index, block) in shown.enumerated() {
            if c.blocks.count > 24 && index == 12 { out.append("| ... \(c.blocks.count - 24) more in the JSON | | | | |") }
            out.append("| `\(block.key)` | \(ms(block.latencyMs[a])) | \(ms(block.latencyMs[b])) | \(ComparisonFindings.ratio(block.ratio)) | \(String(format: "%.3f", block.relative)) |")
        }
        out.append("")
        let counted = shown.filter { $0.counters != nil }
        // Events that counted something on the blocks shown (software events often count 0).
        let events = (counted.first?.counters?.keys.sorted() ?? []).filter { event in
            counted.contains { ($0.counters?[event]?.values.contains { $0 != 0 }) ?? false }
        }
        if !events.isEmpty {
            out.append("Counters per call where both devices counted them (\(events.joined(separator: ", "))):")
            out.append("")
            out.append("| block | " + events.map { "\($0) \(a) | \($0) \(b)" }.joined(separator: " | ") + " |")
            out.append("|---|" + String(repeating: "---:|---:|", count: events.count))
            for block in counted.prefix(10) {
                let cells = events.map { event in
                    let pair = block.counters?[event]
                    return "\(count(pair?[a])) | \(count(pair?[b]))"
                }
                out.append("| `\(block.key)` | " + cells.joined(separator: " | ") + " |")
            }
            out.append("")
        }

        out.append("## Ranking of sub-networks")
        out.append("")
        out.append("\(c.sampleSize) sub-networks drawn at random (seed \(c.sampleSeed)) at input sizes both tables hold: Kendall tau \(ComparisonFindings.fixed(c.kendallTau, 3)), Spearman rho \(ComparisonFindings.fixed(c.spearmanRho, 3)).")
        out.append("")
        if !c.rankMoves.isEmpty {
            out.append("| sub-network | \(a) ms | \(b) ms | rank \(a) | rank \(b) | move |")
            out.append("|---|---:|---:|---:|---:|---:|")
            for move in c.rankMoves {
                let text = (try? String(decoding: JSONEncoder().encode(move.subnet), as: UTF8.self)) ?? ""
                out.append("| `\(text)` | \(ms(move.latencyMs[a])) | \(ms(move.latencyMs[b])) | \(move.rank[a]!) | \(move.rank[b]!) | \(move.move > 0 ? "+" : "")\(move.move) |")
            }
            out.append("")
        }

        out.append("## Pareto sets")
        out.append("")
        if let overlap = c.paretoOverlap, let loss = c.hypervolumeLoss {
            out.append("| | \(a) | \(b) |")
            out.append("|---|---:|---:|")
            out.append("| front size | \(overlap.sizes[a]!) | \(overlap.sizes[b]!) |")
            out.append("| in both fronts | \(overlap.common) | \(overlap.common) |")
            out.append("| not dominated on \(b) by \(b)'s set | \(overlap.stillOptimal) | \(overlap.sizes[b]!) |")
            out.append("")
            out.append("Overlap: \(ComparisonFindings.fixed(overlap.percent, 1))% of the union. Hypervolume on \(b) (objectives \(loss.objectives.map(\.rawValue).joined(separator: ", ")), reference \(loss.reference.map { String(format: "%.6g", $0) }.joined(separator: ", "))): \(b)'s own set \(String(format: "%.6g", loss.own)), \(a)'s set evaluated on \(b) \(String(format: "%.6g", loss.transferred)): loss \(ComparisonFindings.fixed(loss.lossPercent, 2))%" + (loss.repeatLossPercent.map { "; a second search of \(b) (next seed): \(ComparisonFindings.fixed($0, 2))%." } ?? "."))
            out.append("")
            if !c.accuracyLossAtBudget.isEmpty {
                let objective = c.accuracyLossAtBudget[0].objective
                out.append("| latency budget on \(b) | best \(objective.rawValue), \(b)'s set | best \(objective.rawValue), \(a)'s set | given up |")
                out.append("|---:|---:|---:|---:|")
                for budget in c.accuracyLossAtBudget {
                    out.append("| \(ComparisonFindings.fixed(budget.budgetMs, 2)) ms | \(ComparisonFindings.value(budget.bestOwn, objective)) | \(budget.bestTransferred.map { ComparisonFindings.value($0, objective) } ?? "none fits") | \(budget.loss.map { ComparisonFindings.value($0, objective) } ?? "-") |")
                }
                out.append("")
            }
        } else {
            out.append("No Pareto sets were compared (run `hwnas search` for both devices, or let `hwnas compare` search them).")
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    static func ms(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 1 ? String(format: "%.3f", value) : String(format: "%.4f", value)
    }

    static func count(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.4g", value)
    }
}
