/// How long calibration may take: `full` for descriptors that are kept, `quick` for tests and
/// first looks (fewer repetitions, smaller triad arrays, still larger than the caches).
public enum CalibrationBudget: String, Codable, CaseIterable, Sendable {
    case full
    case quick

    var sgemmSamples: Int { self == .full ? 25 : 5 }
    var triadSamples: Int { self == .full ? 15 : 5 }
    /// Triad array length (doubles per array): 128 MiB each for `full`, 32 MiB for `quick`.
    var triadLength: Int { self == .full ? 1 << 24 : 1 << 22 }
}
