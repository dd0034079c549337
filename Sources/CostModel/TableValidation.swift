/// A table's error, measured: sub-networks timed end to end against the table's predictions.
/// The calibration is fitted on one half (`fitN`) and every metric is computed on the other
/// (`n`), raw (plain sum) and calibrated.
public struct TableValidation: Codable, Equatable, Sendable {
    /// Held-out sub-networks the metrics are computed on.
    public var n: Int
    /// Sub-networks the calibration was fitted on.
    public var fitN: Int
    public var raw: AccuracyMetrics
    public var calibrated: AccuracyMetrics
    /// How the sub-networks were drawn.
    public var sampling: String
    public var seed: UInt64
    /// Per held-out sub-network: its canonical form, the raw and calibrated prediction and the
    /// measurement, so anyone can redo the figures.
    public var heldOut: [ValidationPoint]

    public init(n: Int, fitN: Int, raw: AccuracyMetrics, calibrated: AccuracyMetrics, sampling: String, seed: UInt64,
                heldOut: [ValidationPoint]) {
        self.n = n
        self.fitN = fitN
        self.raw = raw
        self.calibrated = calibrated
        self.sampling = sampling
        self.seed = seed
        self.heldOut = heldOut
    }
}

/// One validation sub-network.
public struct ValidationPoint: Codable, Equatable, Sendable {
    public var subnet: String
    public var sumMs: Double
    public var calibratedMs: Double
    public var measuredMs: Double

    public init(subnet: String, sumMs: Double, calibratedMs: Double, measuredMs: Double) {
        self.subnet = subnet
        self.sumMs = sumMs
        self.calibratedMs = calibratedMs
        self.measuredMs = measuredMs
    }
}
