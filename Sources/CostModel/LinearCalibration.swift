import Support

/// The correction `measured = a * sum + b` fitted by least squares on whole sub-networks: the
/// plain sum of block latencies misses what lies between blocks (caches warm from the previous
/// block, buffers, dispatch).
public struct LinearCalibration: Codable, Equatable, Sendable {
    public var a: Double
    public var b: Double

    public init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    /// The identity: no correction.
    public static let identity = LinearCalibration(a: 1, b: 0)

    /// Ordinary least squares of `measured` on `sums`; throws with fewer than two distinct sums.
    public static func fit(sums: [Double], measured: [Double]) throws -> LinearCalibration {
        guard sums.count == measured.count, sums.count >= 2 else {
            throw HwnasError("a calibration needs at least two measured sub-networks, got \(sums.count)")
        }
        let n = Double(sums.count)
        let mx = sums.reduce(0, +) / n, my = measured.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (x, y) in zip(sums, measured) {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
        }
        guard sxx > 0 else {
            throw HwnasError("a calibration needs sub-networks of different predicted latency")
        }
        let a = sxy / sxx
        return LinearCalibration(a: a, b: my - a * mx)
    }

    public func apply(_ sum: Double) -> Double {
        a * sum + b
    }
}
