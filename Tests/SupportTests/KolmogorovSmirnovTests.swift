import Testing
import Support

@Suite struct KolmogorovSmirnovTests {
    /// scipy.stats.kstest(x, "uniform") gives D = 0.12 for these ten values, on [0, 1] and on
    /// [2, 5] after the same affine map.
    @Test func statisticMatchesScipy() {
        let x = [0.05, 0.1, 0.3, 0.35, 0.5, 0.62, 0.7, 0.71, 0.9, 0.99]
        #expect(abs(KolmogorovSmirnov.uniformStatistic(x, lower: 0, upper: 1) - 0.12) < 1e-12)
        #expect(abs(KolmogorovSmirnov.uniformStatistic(x.map { 2 + 3 * $0 }, lower: 2, upper: 5) - 0.12) < 1e-12)
        // A sample piled at one end is far from uniform.
        #expect(KolmogorovSmirnov.uniformStatistic(Array(repeating: 0.1, count: 10), lower: 0, upper: 1) > 0.89)
    }

    /// Against scipy.stats.kstwo.sf(d, n), the exact tail: within 2% (Stephens' correction).
    @Test func pValueMatchesScipysExactTail() {
        let cases: [(n: Int, d: Double, p: Double)] = [
            (100, 0.1, 0.2526927570063874), (1000, 0.03, 0.3226902143914636), (1000, 0.05, 0.013012074781090332),
            (4000, 0.02, 0.08043072865191048), (50, 0.2, 0.03143877776953241), (2000, 0.01, 0.9871373661366796),
        ]
        for c in cases {
            let p = KolmogorovSmirnov.pValue(statistic: c.d, count: c.n)
            #expect(abs(p - c.p) <= 0.02 * c.p, "n \(c.n), d \(c.d): \(p) against \(c.p)")
        }
        #expect(KolmogorovSmirnov.pValue(statistic: 0, count: 10) == 1)
    }
}
