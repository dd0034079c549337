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

    /// The plain sum of a sub-network's blocks split by calibration kind (`CalibrationKind`);
    /// throws naming the first key the table lacks.
    public func kindSums(of subnet: Subnet, space: any SearchSpace, lookup: [String: TableEntry]? = nil) throws -> [String: Double] {
        try checkSpace(space)
        let table = lookup ?? self.lookup
        var sums: [String: Double] = [:]
        for block in space.blocks(of: subnet, settings: settings.spaceSettings) {
            guard let entry = table[block.key] else {
                throw HwnasError("the cost table of \(self.space) on \(device) has no entry '\(block.key)'; profile it again at this size")
            }
            sums[CalibrationKind.of(block, batch: settings.batch), default: 0] += entry.medianMs
        }
        return sums
    }

    /// The factor a block's entry is multiplied by in the calibrated prediction: its kind's slope
    /// with per-kind calibration, the one slope otherwise, 1 in an unvalidated table.
    public func slope(for block: Block) -> Double {
        if let kindCalibration { return kindCalibration.slope(kind: CalibrationKind.of(block, batch: settings.batch)) }
        return (calibration ?? .identity).a
    }

    /// The calibrated prediction's constant term, ms.
    public var intercept: Double {
        kindCalibration?.b ?? (calibration ?? .identity).b
    }

    /// The calibrated latency of plain sums split by kind, through the calibration the table uses.
    public func calibrated(kindSums: [String: Double]) -> Double {
        if let kindCalibration { return kindCalibration.apply(kindSums: kindSums) }
        return (calibration ?? .identity).apply(kindSums.keys.sorted().reduce(0) { $0 + kindSums[$1]! })
    }

    /// `one slope`, `per kind`, or `none` (not validated): what the calibrated prediction uses.
    public var calibrationModel: String {
        kindCalibration != nil ? CalibrationSelection.perKind : calibration != nil ? CalibrationSelection.oneSlope : "none"
    }

    /// Predicts a sub-network's latency. A resolution that was not profiled is interpolated
    /// between the nearest profiled resolutions below and above, linearly in pixels (r^2).
    public func predict(_ subnet: Subnet, space: any SearchSpace, lookup: [String: TableEntry]? = nil) throws -> Prediction {
        try checkSpace(space)
        let table = lookup ?? self.lookup
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
                guard kindCalibration != nil else {
                    return Prediction(sumMs: total, latencyMs: (calibration ?? .identity).apply(total), interpolated: true)
                }
                // Each kind's sum interpolated alike: a kind of one size only weighs in on its side.
                var sums: [String: Double] = [:]
                for (kind, ms) in try kindSums(of: low, space: space, lookup: table) { sums[kind, default: 0] += ms * (1 - t) }
                for (kind, ms) in try kindSums(of: high, space: space, lookup: table) { sums[kind, default: 0] += ms * t }
                return Prediction(sumMs: total, latencyMs: calibrated(kindSums: sums), interpolated: true)
            }
        }
        let total = try sum(of: subnet, space: space, lookup: table)
        guard kindCalibration != nil else {
            return Prediction(sumMs: total, latencyMs: (calibration ?? .identity).apply(total), interpolated: false)
        }
        return Prediction(sumMs: total, latencyMs: calibrated(kindSums: try kindSums(of: subnet, space: space, lookup: table)), interpolated: false)
    }

    func checkSpace(_ space: any SearchSpace) throws {
        guard space.name == self.space else {
            throw HwnasError("the cost table is for space '\(self.space)', the sub-network of '\(space.name)'")
        }
    }
}
