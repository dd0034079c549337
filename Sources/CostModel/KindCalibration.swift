import Support

/// The correction `measured = b + Σ_k (a + δ_k) * sum_k`: one slope per block kind
/// (`CalibrationKind`), where `sum_k` is the plain sum of a sub-network's entries of kind k.
///
/// One slope for every block (`LinearCalibration`) assumes the gap between blocks measured alone
/// and a network run end to end is the same share of every block. It is not: a block whose
/// largest tensor spills out of a cache level loses more in a network than one that stays in it.
/// The offsets δ_k are fitted by ridge regression that pulls every kind's slope toward the common
/// slope a, so a kind the data says little about keeps (almost) the common slope; a and b are not
/// penalised. The penalty is relative: sums and measurements are divided by the mean measurement
/// of the fitting set, so one penalty means the same for a 5 ms and a 200 ms network.
public struct KindCalibration: Codable, Equatable, Sendable {
    /// The common slope.
    public var a: Double
    /// The intercept, ms.
    public var b: Double
    /// δ per kind: kind k's slope is a + δ_k; a kind not listed (never seen in the fit) has a.
    public var kindOffsets: [String: Double]
    /// The ridge penalty on the offsets (relative units, see above).
    public var penalty: Double
    /// How blocks are assigned a kind (`CalibrationKind.rule`).
    public var rule: String

    public init(a: Double, b: Double, kindOffsets: [String: Double], penalty: Double, rule: String = CalibrationKind.rule) {
        self.a = a
        self.b = b
        self.kindOffsets = kindOffsets
        self.penalty = penalty
        self.rule = rule
    }

    /// The slope of a kind's entries.
    public func slope(kind: String) -> Double {
        a + (kindOffsets[kind] ?? 0)
    }

    /// The calibrated latency of a sub-network from its plain sums per kind.
    public func apply(kindSums: [String: Double]) -> Double {
        kindSums.keys.sorted().reduce(b) { $0 + slope(kind: $1) * kindSums[$1]! }
    }

    /// The ridge fit on sub-networks measured end to end. `kindSums[i]` are sub-network i's plain
    /// sums per kind (their total is its plain sum). Throws when there are fewer than two
    /// sub-networks, the penalty is not positive, or the sums do not determine a and b.
    public static func fit(kindSums: [[String: Double]], measured: [Double], penalty: Double) throws -> KindCalibration {
        guard kindSums.count == measured.count, measured.count >= 2 else {
            throw HwnasError("a calibration needs at least two measured sub-networks, got \(measured.count)")
        }
        guard penalty > 0, penalty.isFinite else {
            throw HwnasError("the per-kind calibration's penalty must be positive and finite, not \(penalty)")
        }
        let scale = measured.reduce(0, +) / Double(measured.count)
        guard scale > 0 else { throw HwnasError("a calibration needs positive measurements") }
        let kinds = Set(kindSums.flatMap(\.keys)).sorted()
        // Unknowns: a, b / scale, δ_1 ... δ_K; one row per sub-network, in units of the scale.
        let width = 2 + kinds.count
        var normal = [Double](repeating: 0, count: width * width), rhs = [Double](repeating: 0, count: width)
        for (sums, y) in zip(kindSums, measured) {
            var row = [Double](repeating: 0, count: width)
            row[1] = 1
            for (k, kind) in kinds.enumerated() { row[2 + k] = (sums[kind] ?? 0) / scale }
            row[0] = row[2...].reduce(0, +)
            for i in 0..<width where row[i] != 0 {
                rhs[i] += row[i] * y / scale
                for j in 0..<width { normal[i * width + j] += row[i] * row[j] }
            }
        }
        for k in 2..<width { normal[k * width + k] += penalty }
        let solution = try LinearSystem.solve(normal, rhs)
        var offsets: [String: Double] = [:]
        for (k, kind) in kinds.enumerated() { offsets[kind] = solution[2 + k] }
        return KindCalibration(a: solution[0], b: solution[1] * scale, kindOffsets: offsets, penalty: penalty)
    }

    /// True when every kind's slope is positive and every figure finite: a negative slope would
    /// make a block cheaper the slower it was measured.
    public var isPlausible: Bool {
        a.isFinite && b.isFinite && kindOffsets.values.allSatisfy { (a + $0).isFinite && a + $0 > 0 }
    }
}
