import Foundation

/// The one-sample Kolmogorov-Smirnov test: does a sample follow a given distribution?
///
/// Used to check that a sampler meant to spread its draws evenly over a range does: the
/// statistic is the largest gap between the sample's empirical CDF and the distribution's,
/// the p-value the Kolmogorov distribution's tail with Stephens' small-sample correction
/// (within 2% of the exact one from n = 50 on).
public enum KolmogorovSmirnov {
    /// D = sup |F_n(x) − F(x)| of `sample` against `cdf`.
    public static func statistic(_ sample: [Double], cdf: (Double) -> Double) -> Double {
        precondition(!sample.isEmpty, "Kolmogorov-Smirnov of an empty sample")
        let sorted = sample.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// D of `sample` against the uniform distribution on [lower, upper].
    public static func uniformStatistic(_ sample: [Double], lower: Double, upper: Double) -> Double {
        precondition(upper > lower, "uniform on [\(lower), \(upper)]")
        return statistic(sample) { min(max(($0 - lower) / (upper - lower), 0), 1) }
    }

    /// P(D_n ≥ d) for a sample of `count` from the hypothesised distribution:
    /// Q_KS((√n + 0.12 + 0.11/√n)·d), Q_KS(λ) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²λ²).
    public static func pValue(statistic d: Double, count n: Int) -> Double {
        precondition(n > 0, "Kolmogorov-Smirnov p-value of \(n) values")
        let root = Double(n).squareRoot()
        let lambda = (root + 0.12 + 0.11 / root) * d
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = 2 * (k % 2 == 1 ? 1.0 : -1.0) * Foundation.exp(-2 * Double(k * k) * lambda * lambda)
            sum += term
            if abs(term) < 1e-14 { break }
        }
        return min(max(sum, 0), 1)
    }
}
