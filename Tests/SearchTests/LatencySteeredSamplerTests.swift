import CostModel
import Foundation
import HwnasTestSupport
import Search
import Support
import SuperNet
import Testing
import Training

@Suite struct LatencySteeredSamplerTests {
    static let space = MiniLML6Space()

    static func sampler(band: ClosedRange<Double>? = nil, seed: UInt64 = 3, attentionScale: Double = 1) throws -> (LatencySteeredSampler, LatencyObjective) {
        let table = try SyntheticMiniLMTable.table(attentionScale: attentionScale)
        let latency = try LatencyObjective(table: table, space: space, tablePath: "test.lut.json")
        let space = Self.space
        let sampler = try LatencySteeredSampler(space: space, latency: latency, device: "test-t1", band: band, seed: seed) {
            SubnetShape(space.elasticShape(of: $0))
        }
        return (sampler, latency)
    }

    /// The draws' predicted latencies are uniform over the device's whole range: a
    /// Kolmogorov-Smirnov test of 4,000 draws against U(range) does not reject at 1%, while
    /// uniform sampling of the space, over the same range, is rejected outright.
    @Test func drawsAreUniformOverTheLatencyRange() throws {
        let (sampler, latency) = try Self.sampler()
        let range = sampler.range
        // The range is the space's: its smallest and largest sub-networks' latencies.
        let smallest = try Self.space.subnet(parsing: "{'num_layers': [2], 'num_attention_heads': [4, 4, 4, 4, 4, 4], 'intermediate_size': [384, 384, 384, 384, 384, 384]}")
        let largest = try Self.space.subnet(parsing: "{'num_layers': [6], 'num_attention_heads': [12, 12, 12, 12, 12, 12], 'intermediate_size': [1536, 1536, 1536, 1536, 1536, 1536]}")
        #expect(range.lowerBound == latency.value(of: smallest) && range.upperBound == latency.value(of: largest))
        #expect(sampler.band == range)

        let draws = (0..<4_000).map { sampler.draw(step: $0) }
        let latencies = draws.map { $0.predictedLatencyMs! }
        let d = KolmogorovSmirnov.uniformStatistic(latencies, lower: range.lowerBound, upper: range.upperBound)
        let p = KolmogorovSmirnov.pValue(statistic: d, count: latencies.count)
        #expect(p > 0.01, "KS D = \(d), p = \(p)")
        // Every draw's recorded latency is what the table predicts for its shape, and the shapes vary.
        for draw in draws.prefix(200) {
            let member = try #require(sampler.members.first { $0.shape == draw.shape })
            #expect(member.latencyMs == draw.predictedLatencyMs)
            #expect(range.contains(draw.targetLatencyMs!))
        }
        #expect(Set(draws.map(\.shape)).count > 2_000)

        var generator = SeededGenerator(seed: 5)
        let uniform = (0..<4_000).map { _ in latency.value(of: Self.space.sample(using: &generator)) }
        let uniformD = KolmogorovSmirnov.uniformStatistic(uniform, lower: range.lowerBound, upper: range.upperBound)
        #expect(KolmogorovSmirnov.pValue(statistic: uniformD, count: uniform.count) < 1e-6, "uniform sampling is not uniform in latency: D = \(uniformD)")
    }

    /// Inside a band, the draws stay in it and are uniform over it.
    @Test func drawsStayUniformInsideABand() throws {
        let (whole, _) = try Self.sampler()
        let low = whole.range.lowerBound + 0.2 * (whole.range.upperBound - whole.range.lowerBound)
        let high = whole.range.lowerBound + 0.5 * (whole.range.upperBound - whole.range.lowerBound)
        let (sampler, _) = try Self.sampler(band: low...high)
        #expect(sampler.band == low...high && sampler.range == whole.range)
        let latencies = (0..<3_000).map { sampler.draw(step: $0).predictedLatencyMs! }
        #expect(latencies.allSatisfy { (low...high).contains($0) })
        let d = KolmogorovSmirnov.uniformStatistic(latencies, lower: low, upper: high)
        #expect(KolmogorovSmirnov.pValue(statistic: d, count: latencies.count) > 0.01, "KS D = \(d)")
    }

    /// Draws are a function of the seed and the step; the fingerprint names the pool.
    @Test func drawsAreReproducible() throws {
        let (a, _) = try Self.sampler(seed: 4), (b, _) = try Self.sampler(seed: 4)
        #expect(a.fingerprint == b.fingerprint)
        #expect((0..<100).map { a.draw(step: $0) } == (0..<100).map { b.draw(step: $0) })
        let (c, _) = try Self.sampler(seed: 5)
        #expect(c.fingerprint != a.fingerprint)
        let (d, _) = try Self.sampler(seed: 4, attentionScale: 2)
        #expect(d.fingerprint != a.fingerprint, "another table, another pool")
    }

    /// A band no sub-network meets is refused, naming the device's range.
    @Test func aBandOutsideTheRangeNamesTheRange() throws {
        let (whole, _) = try Self.sampler()
        let expected = LatencySteeredSampler.describe(whole.range)
        for band in [(whole.range.upperBound + 1)...(whole.range.upperBound + 2), 0.0...(whole.range.lowerBound / 2)] {
            let error = #expect(throws: HwnasError.self) { _ = try Self.sampler(band: band) }
            #expect(error?.message.contains(expected) == true && error?.message.contains("test-t1") == true, "\(error?.message ?? "")")
        }
    }
}
