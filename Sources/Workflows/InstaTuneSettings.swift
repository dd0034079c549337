import Foundation
import Support

/// What makes a fine-tuning run an InstaTune run: how the sub-network of each step is drawn,
/// and the distillation temperature. Part of `FineTuneSettings`, so a resumed run must have
/// the same.
public struct InstaTuneSettings: Codable, Equatable, Sendable {
    /// How the sub-networks are drawn.
    public enum Sampling: String, Codable, CaseIterable, Sendable {
        /// Uniformly over the space's genes (InstaTune's public code).
        case uniform
        /// Evenly over a device's table-predicted latency range, or a band of it.
        case latency
    }

    public var sampling: Sampling
    /// The device whose cost table steers `latency` sampling.
    public var device: String?
    /// The latency band, [low, high] in milliseconds, for `latency` sampling (nil: the device's
    /// whole range).
    public var bandMs: [Double]?
    public var temperature: Double
    /// Random sub-networks in the latency sampler's pool, and its latency buckets.
    public var poolSize: Int
    public var buckets: Int

    public init(sampling: Sampling, device: String? = nil, bandMs: [Double]? = nil, temperature: Double = 5,
                poolSize: Int = 20_000, buckets: Int = 200) {
        self.sampling = sampling
        self.device = device
        self.bandMs = bandMs
        self.temperature = temperature
        self.poolSize = poolSize
        self.buckets = buckets
    }

    /// Throws naming the setting that cannot run.
    public func validate() throws {
        switch sampling {
        case .uniform:
            if device != nil || bandMs != nil {
                throw HwnasError("--device and --latency-band steer --sampling latency; --sampling uniform takes neither")
            }
        case .latency:
            guard device != nil else { throw HwnasError("--sampling latency needs --device (the device whose cost table steers it)") }
        }
        if let bandMs {
            guard bandMs.count == 2, bandMs[0] >= 0, bandMs[0] <= bandMs[1], bandMs.allSatisfy(\.isFinite) else {
                throw HwnasError("--latency-band \(bandMs): need LOW..HIGH with 0 <= LOW <= HIGH")
            }
        }
        guard temperature > 0, temperature.isFinite else { throw HwnasError("InstaTune temperature \(temperature) must be positive") }
        guard poolSize > 0, buckets > 0 else { throw HwnasError("latency sampler: pool \(poolSize), buckets \(buckets); both must be positive") }
    }

    /// `2ms..8ms`, `2..8`, `2.5ms..8.25` as [low, high] in milliseconds; errors name the text.
    public static func parseBand(_ text: String) throws -> [Double] {
        let parts = text.components(separatedBy: "..")
        func value(_ part: String) -> Double? {
            var s = part.trimmingCharacters(in: .whitespaces).lowercased()
            if s.hasSuffix("ms") { s.removeLast(2) }
            return Double(s)
        }
        guard parts.count == 2, let low = value(parts[0]), let high = value(parts[1]), low.isFinite, high.isFinite, low >= 0, low <= high else {
            throw HwnasError("--latency-band '\(text)': expected LOW..HIGH in milliseconds, e.g. 2ms..8ms, with LOW <= HIGH")
        }
        return [low, high]
    }

    /// `uniform`, `latency on D`, `latency on D in 2..8 ms`: one line of a log.
    public var summary: String {
        var text = sampling.rawValue
        if let device { text += " on \(device)" }
        if let bandMs { text += String(format: " in %g..%g ms", bandMs[0], bandMs[1]) }
        return text
    }
}
