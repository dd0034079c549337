import Support
import SuperNet

extension CostTable {
    /// The entries by key.
    public var lookup: [String: TableEntry] {
        Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The plain sum of a sub-network's blocks; throws naming the first key the table lacks.
    public func sum(of subnet: Subnet, space: any SearchSpace, lookup: [String: TableEntry]? = nil) throws -> Double {
        try checkSpace(space)
        let table = lookup ?? self.lookup
        var total = 0.0
        for block in space.blocks(of: subnet, settings: settings.spaceSettings) {
            guard let entry = table[block.key] else {
                throw HwnasError("the cost table of \(self.space) on \(device) has no entry '\(block.key)'; profile it again at this size")
            }
            total += entry.medianMs
        }
        return total
    }

    /// Predicts a sub-network's latency. A resolution that was not profiled is interpolated
    /// between the nearest profiled resolutions below and above, linearly in pixels (r^2).
    public func predict(_ subnet: Subnet, space: any SearchSpace, lookup: [String: TableEntry]? = nil) throws -> Prediction {
        try checkSpace(space)
        let table = lookup ?? self.lookup
        let calibration = self.calibration ?? .identity
        if let profiled = settings.resolutions, let gene = space.resolutionGene {
            let r = subnet.scalar(gene)
            if !profiled.contains(r) {
                let below = profiled.filter { $0 < r }.max(), above = profiled.filter { $0 > r }.min()
                guard let below, let above else {
                    throw HwnasError("resolution \(r) is outside the profiled \(profiled.first!)..\(profiled.last!) of the cost table for \(device); it cannot be interpolated")
                }
                var low = subnet, high = subnet
                low[gene] = [below]
                high[gene] = [above]
                let lowSum = try sum(of: low, space: space, lookup: table)
                let highSum = try sum(of: high, space: space, lookup: table)
                let t = Double(r * r - below * below) / Double(above * above - below * below)
                let total = lowSum + (highSum - lowSum) * t
                return Prediction(sumMs: total, latencyMs: calibration.apply(total), interpolated: true)
            }
        }
        let total = try sum(of: subnet, space: space, lookup: table)
        return Prediction(sumMs: total, latencyMs: calibration.apply(total), interpolated: false)
    }

    func checkSpace(_ space: any SearchSpace) throws {
        guard space.name == self.space else {
            throw HwnasError("the cost table is for space '\(self.space)', the sub-network of '\(space.name)'")
        }
    }
}
