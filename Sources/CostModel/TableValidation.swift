/// A table's error, measured: sub-networks timed end to end against the table's predictions.
/// The calibration is fitted on one half (`fitN`) and every metric is computed on the other
/// (`n`), raw (plain sum) and calibrated.
public struct TableValidation: Codable, Equatable, Sendable {
    /// Held-out sub-networks the metrics are computed on.
    public var n: Int
    /// Sub-networks the calibration was fitted on.
    public var fitN: Int
    public var raw: AccuracyMetrics
    /// The calibration the table predicts with (`calibrationModel`).
    public var calibrated: AccuracyMetrics
    /// How the sub-networks were drawn.
    public var sampling: String
    public var seed: UInt64
    /// Per held-out sub-network: its canonical form, the raw and calibrated prediction and the
    /// measurement, so anyone can redo the figures.
    public var heldOut: [ValidationPoint]
    /// `one slope` or `per kind` (`CalibrationSelection`); nil in tables made before per-kind
    /// calibration, which all use one slope.
    public var calibrationModel: String?
    /// The one-slope calibration's figures on the same held-out sub-networks, when the table
    /// predicts with another, so the two compare; nil otherwise.
    public var oneSlope: AccuracyMetrics?
    /// How the calibration was chosen on the fitting half (nil in older tables).
    public var selection: CalibrationSelection?
    /// Times each sub-network was built and measured, in different chunks at different times;
    /// its measurement is the mean of the fastest half of these. nil in older tables (once).
    public var repeats: Int?
    /// The fitting half, as `heldOut` (calibratedMs in sample); nil in older tables.
    public var fitted: [ValidationPoint]?

    public init(n: Int, fitN: Int, raw: AccuracyMetrics, calibrated: AccuracyMetrics, sampling: String, seed: UInt64,
                heldOut: [ValidationPoint], calibrationModel: String? = nil, oneSlope: AccuracyMetrics? = nil,
                selection: CalibrationSelection? = nil, repeats: Int? = nil, fitted: [ValidationPoint]? = nil) {
        self.n = n
        self.fitN = fitN
        self.raw = raw
        self.calibrated = calibrated
        self.sampling = sampling
        self.seed = seed
        self.heldOut = heldOut
        self.calibrationModel = calibrationModel
        self.oneSlope = oneSlope
        self.selection = selection
        self.repeats = repeats
        self.fitted = fitted
    }
}

/// One validation sub-network.
public struct ValidationPoint: Codable, Equatable, Sendable {
    public var subnet: String
    public var sumMs: Double
    /// Through the calibration the table predicts with.
    public var calibratedMs: Double
    public var measuredMs: Double
    /// Through the one-slope calibration, when the table predicts with another.
    public var oneSlopeMs: Double?
    /// The plain sum split by calibration kind (`CalibrationKind`), whenever per-kind slopes
    /// were considered (so the choice can be redone from the file).
    public var kindSumsMs: [String: Double]?
    /// Each repeat's measurement (`TableValidation.repeats` > 1), in repeat order.
    public var repeatsMs: [Double]?

    public init(subnet: String, sumMs: Double, calibratedMs: Double, measuredMs: Double, oneSlopeMs: Double? = nil,
                kindSumsMs: [String: Double]? = nil, repeatsMs: [Double]? = nil) {
        self.subnet = subnet
        self.sumMs = sumMs
        self.calibratedMs = calibratedMs
        self.measuredMs = measuredMs
        self.oneSlopeMs = oneSlopeMs
        self.kindSumsMs = kindSumsMs
        self.repeatsMs = repeatsMs
    }
}
