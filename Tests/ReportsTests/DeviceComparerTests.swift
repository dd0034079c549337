import CostModel
import Foundation
import Optimization
import Reports
import Search
import Support
import SuperNet
import Testing

/// Comparisons on the shipped cost tables of this repository.
@Suite struct DeviceComparerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func table(_ device: String, _ space: String) throws -> (CostTable, String) {
        let path = "profiles/\(device)/\(space).lut.json"
        return (try CostTable.read(from: root.appendingPathComponent(path)), path)
    }

    /// A small search of bert-base on one table, latency against MACs.
    static func pareto(_ table: CostTable, path: String, device: String, seed: UInt64 = 3) throws -> ParetoSet {
        let space = BertBaseSpace()
        let latency = try LatencyObjective(table: table, space: space, tablePath: path)
        var macs = MACsObjective(space: space)
        macs.sense = .maximize  // compute per millisecond: a real trade-off against latency
        let problem = try SpaceProblem(space: space, objectives: [latency, macs])
        let search = DeviceSearch(problem: problem, device: device, settings: NSGA2Settings(population: 24, generations: 12, seed: seed),
                                  provenance: .init(table: path, predictor: nil))
        return try search.run()
    }

    static let comparer = DeviceComparer(space: BertBaseSpace(), sampleSize: 60, seed: 2)

    @Test func aDeviceComparedWithItselfDiffersInNothing() throws {
        let (table, path) = try Self.table("amd-zen3-t1", "bert-base")
        let set = try Self.pareto(table, path: path, device: "amd-zen3-t1")
        var copy = set
        copy.device = "amd-zen3-t1-copy"
        let a = ComparedDevice(id: "amd-zen3-t1", table: table, tablePath: path, pareto: set)
        let b = ComparedDevice(id: "amd-zen3-t1-copy", table: table, tablePath: path, pareto: copy)
        let c = try Self.comparer.compare(a, b)
        #expect(!c.blocks.isEmpty)
        #expect(c.blocks.allSatisfy { $0.ratio == 1 && $0.relative == 1 })
        #expect(c.medianRatio == 1)
        #expect(c.kendallTau == 1)
        #expect(c.spearmanRho > 0.999_999)
        #expect(c.rankMoves.allSatisfy { $0.move == 0 })
        let overlap = try #require(c.paretoOverlap)
        #expect(overlap.percent == 100 && overlap.common == set.front.count)
        #expect(overlap.stillOptimal == set.front.count && overlap.stillOptimalPercent == 100)
        let loss = try #require(c.hypervolumeLoss)
        #expect(loss.lossPercent == 0)
        #expect(loss.own > 0 && loss.own == loss.transferred)
        #expect(set.front.count >= 3)
        #expect(!c.accuracyLossAtBudget.isEmpty)
        #expect(c.accuracyLossAtBudget.allSatisfy { $0.loss == 0 })
        #expect(c.findings.contains { $0.contains("the same order") })
    }

    @Test func tablesOfDifferentSpacesAreRefused() throws {
        let (bert, bertPath) = try Self.table("amd-zen3-t1", "bert-base")
        let (vit, vitPath) = try Self.table("amd-zen3-t2", "vit-b16")
        let a = ComparedDevice(id: "amd-zen3-t1", table: bert, tablePath: bertPath)
        let b = ComparedDevice(id: "amd-zen3-t2", table: vit, tablePath: vitPath)
        #expect {
            try Self.comparer.compare(a, b)
        } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains(vitPath) && message.contains("'vit-b16'") && message.contains("one space")
        }
    }

    @Test func markdownFindingsStateTheJSONNumbers() throws {
        let (t1, p1) = try Self.table("amd-zen3-t1", "bert-base")
        let (t2, p2) = try Self.table("amd-zen3-t2", "bert-base")
        let a = ComparedDevice(id: "amd-zen3-t1", table: t1, tablePath: p1, pareto: try Self.pareto(t1, path: p1, device: "amd-zen3-t1"))
        let b = ComparedDevice(id: "amd-zen3-t2", table: t2, tablePath: p2, pareto: try Self.pareto(t2, path: p2, device: "amd-zen3-t2"))
        let again = try Self.pareto(t2, path: p2, device: "amd-zen3-t2", seed: 4)
        let comparison = try Self.comparer.compare(a, b, repeatOfSecond: again)
        // Through the file format, as a script would read it.
        let decoded = try JSONDecoder().decode(DeviceComparison.self, from: try JSONFormat.encode(comparison))
        let markdown = ComparisonMarkdown.render(comparison)
        func number(after pattern: String) throws -> Double {
            let range = try #require(markdown.range(of: pattern + #"(-?[0-9]+\.?[0-9]*)"#, options: .regularExpression))
            let text = markdown[range].dropFirst(pattern.replacingOccurrences(of: "\\", with: "").count)
            return try #require(Double(text))
        }
        #expect(abs(try number(after: "Kendall tau ") - decoded.kendallTau) <= 0.0005)
        #expect(abs(try number(after: "Spearman rho ") - decoded.spearmanRho) <= 0.0005)
        #expect(abs(try number(after: "Median ratio ") - decoded.medianRatio) <= 0.0005)
        let stated = try number(after: "Blocks take ")
        #expect(abs(stated - decoded.medianRatio) <= 0.0005 || abs(stated - 1) < 1e-9)
        let overlap = try #require(decoded.paretoOverlap)
        #expect(markdown.contains("The Pareto sets share \(overlap.common) sub-networks"))
        #expect(abs(try number(after: "Overlap: ") - overlap.percent) <= 0.05)
        #expect(markdown.contains("\(overlap.stillOptimal) of amd-zen3-t1's \(overlap.sizes["amd-zen3-t1"]!) sub-networks"))
        let loss = try #require(decoded.hypervolumeLoss)
        #expect(abs(try number(after: "loss ") - loss.lossPercent) <= 0.005)
        let spread = try #require(loss.repeatLossPercent)
        #expect(abs(try number(after: "differs from the first by ") - spread) <= 0.005)
        let within = abs(loss.lossPercent) <= abs(spread)
        #expect(markdown.contains("so the loss is \(within ? "within" : "beyond") the search's own spread"))
        for budget in decoded.accuracyLossAtBudget {
            #expect(markdown.contains(String(format: "Within %.2f ms on amd-zen3-t2", budget.budgetMs)))
        }
        // Every finding is in the report, word for word.
        for finding in decoded.findings { #expect(markdown.contains(finding)) }
        // The ratio table's first row is the block dearest on B relative to the median.
        let dearest = try #require(decoded.blocks.first)
        #expect(decoded.blocks.allSatisfy { $0.relative <= dearest.relative })
        #expect(markdown.contains("| `\(dearest.key)` |"))
    }
}
