import CostModel
import Foundation
import Optimization
import Search
import Support
import SuperNet

/// Compares two devices' cost tables (and Pareto sets) of one space.
public struct DeviceComparer: Sendable {
    public var space: any SearchSpace
    /// Sub-networks drawn for the rank correlation.
    public var sampleSize: Int
    public var seed: UInt64

    public init(space: any SearchSpace, sampleSize: Int = 500, seed: UInt64 = 1) {
        self.space = space
        self.sampleSize = sampleSize
        self.seed = seed
    }

    /// Exact (or, from four objectives on, estimated) hypervolume of minimised points.
    func hypervolume(_ points: [[Double]], _ reference: [Double]) -> Double {
        Hypervolume.of(points, reference: reference).value
    }

    /// Refuses tables of another space, batch or sequence length, naming the files.
    public static func checkComparable(_ a: ComparedDevice, _ b: ComparedDevice, space: any SearchSpace) throws {
        for device in [a, b] where device.table.space != space.name {
            throw HwnasError("\(device.tablePath) is a cost table of '\(device.table.space)', not '\(space.name)': devices are compared on one space")
        }
        guard a.table.settings.batch == b.table.settings.batch else {
            throw HwnasError("\(a.tablePath) has batch \(a.table.settings.batch), \(b.tablePath) batch \(b.table.settings.batch): compare tables of one batch size")
        }
        guard a.table.settings.sequence == b.table.settings.sequence else {
            throw HwnasError("\(a.tablePath) is at sequence \(a.table.settings.sequence ?? 0), \(b.tablePath) at \(b.table.settings.sequence ?? 0): compare tables of one sequence length")
        }
        if let ra = a.table.settings.resolutions, let rb = b.table.settings.resolutions, Set(ra).isDisjoint(with: rb) {
            throw HwnasError("\(a.tablePath) and \(b.tablePath) share no profiled resolution")
        }
    }

    /// `repeatOfSecond` is a second search of B with another seed, when there is one: it measures
    /// the search's own spread.
    public func compare(_ a: ComparedDevice, _ b: ComparedDevice, repeatOfSecond: ParetoSet? = nil) throws -> DeviceComparison {
        try Self.checkComparable(a, b, space: space)
        let blocks = blockComparisons(a, b)
        guard !blocks.isEmpty else {
            throw HwnasError("\(a.tablePath) and \(b.tablePath) have no block configuration in common")
        }
        let medianRatio = SampleStatistics.percentile(blocks.map(\.ratio).sorted(), 50)
        let (tau, rho, moves) = try rankComparison(a, b)
        var overlap: ParetoOverlap?
        var loss: HypervolumeLoss?
        var budgets: [BudgetLoss] = []
        if let pa = a.pareto, let pb = b.pareto {
            guard pa.objectives == pb.objectives else {
                func names(_ set: ParetoSet) -> String { set.objectives.map(\.kind.rawValue).joined(separator: ",") }
                throw HwnasError("the Pareto sets of \(a.id) (\(names(pa))) and \(b.id) (\(names(pb))) have different objectives; search both with the same --objectives")
            }
            let transferred = try pa.front.map { member in try transfer(member, to: b) }
            overlap = paretoOverlap(pa, pb, a: a.id, b: b.id, transferred: transferred)
            loss = hypervolumeLoss(own: pb, transferred: transferred)
            if let repeatOfSecond {
                let again = hypervolumeLoss(own: pb, transferred: repeatOfSecond.front)
                loss?.repeatLossPercent = again.lossPercent
            }
            budgets = budgetLosses(own: pb, transferred: transferred)
        }
        var comparison = DeviceComparison(
            schemaVersion: DeviceComparison.schemaVersion, space: space.name, devices: [a.id, b.id], blocks: blocks,
            medianRatio: medianRatio, kendallTau: tau, spearmanRho: rho, sampleSize: sampleSize, sampleSeed: seed,
            rankMoves: moves, paretoOverlap: overlap, hypervolumeLoss: loss, accuracyLossAtBudget: budgets,
            findings: [], tables: [a.id: a.tablePath, b.id: b.tablePath],
            paretoSets: Dictionary(uniqueKeysWithValues: [a, b].compactMap { d in d.paretoPath.map { (d.id, $0) } }),
            machines: [a.id: a.table.machine.id, b.id: b.table.machine.id],
            hwnasVersion: HwnasVersion.current, createdAt: Timestamp.now())
        comparison.findings = ComparisonFindings.sentences(comparison)
        return comparison
    }

    func blockComparisons(_ a: ComparedDevice, _ b: ComparedDevice) -> [BlockComparison] {
        let lookup = b.table.lookup
        var pairs: [(key: String, msA: Double, msB: Double)] = []
        for entry in a.table.entries {
            guard let other = lookup[entry.key], entry.medianMs > 0, other.medianMs > 0 else { continue }
            pairs.append((entry.key, entry.medianMs, other.medianMs))
        }
        let ratios = pairs.map { $0.msB / $0.msA }
        let median = ratios.isEmpty ? 1 : SampleStatistics.percentile(ratios.sorted(), 50)
        let blocks = zip(pairs, ratios).map { pair, ratio -> BlockComparison in
            var counters: [String: [String: Double]]?
            if let ca = a.counters[pair.key], let cb = b.counters[pair.key] {
                let events = Set(ca.keys).intersection(cb.keys).sorted()
                if !events.isEmpty {
                    counters = Dictionary(uniqueKeysWithValues: events.map { ($0, [a.id: ca[$0]!, b.id: cb[$0]!]) })
                }
            }
            return BlockComparison(key: pair.key, latencyMs: [a.id: pair.msA, b.id: pair.msB], ratio: ratio,
                                   relative: ratio / median, counters: counters)
        }
        return blocks.sorted { $0.relative != $1.relative ? $0.relative > $1.relative : $0.key < $1.key }
    }

    /// Kendall tau and Spearman rho of predicted latency over a seeded sample of sub-networks
    /// at the input sizes both tables hold, and the largest rank moves.
    func rankComparison(_ a: ComparedDevice, _ b: ComparedDevice) throws -> (Double, Double, [RankMove]) {
        var resolutions: [Int]?
        if let ra = a.table.settings.resolutions, let rb = b.table.settings.resolutions {
            resolutions = ra.filter(rb.contains)
        }
        let latencyA = try LatencyObjective(table: a.table, space: space, tablePath: a.tablePath, resolutions: resolutions)
        let latencyB = try LatencyObjective(table: b.table, space: space, tablePath: b.tablePath, resolutions: resolutions)
        var generator = SeededGenerator(seed: seed)
        let subnets: [Subnet] = (0..<sampleSize).map { _ in
            var subnet = space.sample(using: &generator)
            if let resolutions, let gene = space.resolutionGene { subnet[gene] = [resolutions.randomElement(using: &generator)!] }
            return subnet
        }
        let msA = subnets.map(latencyA.value), msB = subnets.map(latencyB.value)
        let tau = RankCorrelation.kendallTau(msA, msB)
        let rho = RankCorrelation.spearmanRho(msA, msB)
        let rankA = RankCorrelation.ranks(msA), rankB = RankCorrelation.ranks(msB)
        let moves = subnets.indices.map { i in
            RankMove(subnet: SubnetJSON(space: space, subnet: subnets[i]), latencyMs: [a.id: msA[i], b.id: msB[i]],
                     rank: [a.id: Int(rankA[i].rounded()), b.id: Int(rankB[i].rounded())],
                     move: Int((rankB[i] - rankA[i]).rounded()))
        }
        let top = moves.sorted { abs($0.move) != abs($1.move) ? abs($0.move) > abs($1.move) : $0.rank[a.id]! < $1.rank[a.id]! }
        return (tau, rho, Array(top.prefix(5)))
    }

    /// A member of another device's set with its latency predicted on `device`.
    public func transfer(_ member: ParetoMember, to device: ComparedDevice) throws -> ParetoMember {
        var moved = member
        let subnet = try space.validated(member.subnet.subnet)
        let latency = try device.table.predict(subnet, space: space).latencyMs
        moved.latencyMs = latency
        if moved.values[.latency] != nil { moved.values[.latency] = latency }
        return moved
    }

    /// Sub-networks are the same when they are the same network: inactive slots do not count.
    func paretoOverlap(_ pa: ParetoSet, _ pb: ParetoSet, a: String, b: String, transferred: [ParetoMember]) -> ParetoOverlap {
        let setA = Set(pa.front.map { space.canonicalGenome(of: $0.subnet.subnet) })
        let setB = Set(pb.front.map { space.canonicalGenome(of: $0.subnet.subnet) })
        let common = setA.intersection(setB).count
        let union = setA.union(setB).count
        let own = pb.front.map { minimized($0, pb) }
        let still = transferred.filter { member in
            let point = minimized(member, pb)
            return !own.contains { q in zip(q, point).allSatisfy { $0 <= $1 } && zip(q, point).contains { $0 < $1 } }
        }.count
        return ParetoOverlap(sizes: [a: pa.front.count, b: pb.front.count], common: common,
                             percent: union > 0 ? 100 * Double(common) / Double(union) : 100,
                             stillOptimal: still,
                             stillOptimalPercent: transferred.isEmpty ? 100 : 100 * Double(still) / Double(transferred.count))
    }

    func minimized(_ member: ParetoMember, _ set: ParetoSet) -> [Double] {
        set.objectives.map { $0.sense.minimized(member.values[$0.kind] ?? .nan) }
    }

    func hypervolumeLoss(own: ParetoSet, transferred: [ParetoMember]) -> HypervolumeLoss {
        let reference = zip(own.reference, own.senses).map { value, sense in sense.minimized(value) }
        let ownVolume = hypervolume(own.front.map { minimized($0, own) }, reference)
        let movedVolume = hypervolume(transferred.map { minimized($0, own) }, reference)
        let loss = ownVolume > 0 ? 100 * (ownVolume - movedVolume) / ownVolume : 0
        return HypervolumeLoss(objectives: own.objectives.map(\.kind), reference: own.reference, own: ownVolume,
                               transferred: movedVolume, lossPercent: abs(loss) < 1e-9 ? 0 : loss, repeatLossPercent: nil)
    }

    /// At the quartiles of the own front's latencies: the best other objective each set offers.
    func budgetLosses(own: ParetoSet, transferred: [ParetoMember]) -> [BudgetLoss] {
        let (latency, otherSpec) = own.axes
        guard latency.kind == .latency else { return [] }
        let other = otherSpec.kind, sense = otherSpec.sense
        let latencies = own.front.compactMap { $0.values[.latency] }.sorted()
        guard !latencies.isEmpty else { return [] }
        var budgets: [Double] = []
        for q in [0.25, 0.5, 0.75] {
            let value = latencies[min(latencies.count - 1, Int((Double(latencies.count - 1) * q).rounded()))]
            if !budgets.contains(value) { budgets.append(value) }
        }
        func best(_ members: [ParetoMember], within budget: Double) -> Double? {
            let values = members.filter { ($0.values[.latency] ?? .infinity) <= budget * (1 + 1e-12) }.compactMap { $0.values[other] }
            return sense == .maximize ? values.max() : values.min()
        }
        return budgets.map { budget in
            let bestOwn = best(own.front, within: budget)!
            let bestMoved = best(transferred, within: budget)
            let loss = bestMoved.map { sense == .maximize ? bestOwn - $0 : $0 - bestOwn }
            return BudgetLoss(budgetMs: budget, objective: other, bestOwn: bestOwn, bestTransferred: bestMoved,
                              loss: loss.map { abs($0) < 1e-12 ? 0 : $0 })
        }
    }
}
