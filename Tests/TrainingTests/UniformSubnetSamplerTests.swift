import Support
import Testing
import Training

@Suite struct UniformSubnetSamplerTests {
    static func sampler(seed: UInt64 = 7) throws -> UniformSubnetSampler {
        try UniformSubnetSampler(layers: [2, 3, 4, 5, 6], heads: [4, 6, 8, 12], intermediate: [384, 768, 1152, 1536], seed: seed)
    }

    /// A draw depends on the seed and the step alone, so a resumed run draws the same.
    @Test func drawsAreAFunctionOfSeedAndStep() throws {
        let a = try Self.sampler(), b = try Self.sampler()
        #expect((0..<50).map { a.draw(step: $0) } == (0..<50).map { b.draw(step: $0) })
        #expect(a.draw(step: 3) == b.draw(step: 3))
        #expect(a.fingerprint == b.fingerprint)
        let other = try Self.sampler(seed: 8)
        #expect((0..<50).map { a.draw(step: $0) } != (0..<50).map { other.draw(step: $0) })
        #expect(a.fingerprint != other.fingerprint)
        #expect(Set((0..<50).map { a.draw(step: $0).shape }).count > 40)
    }

    /// Every value drawn is one of its choices, one per active layer, and each choice comes up
    /// about as often as the others (within 5 standard deviations over 5,000 draws).
    @Test func drawsAreUniformOverTheChoices() throws {
        let sampler = try Self.sampler()
        var depth: [Int: Int] = [:], heads: [Int: Int] = [:], widths: [Int: Int] = [:]
        var slots = 0
        let draws = 5_000
        for step in 0..<draws {
            let shape = sampler.draw(step: step).shape
            #expect(shape.heads.count == shape.layers && shape.intermediate.count == shape.layers)
            depth[shape.layers, default: 0] += 1
            for h in shape.heads { heads[h, default: 0] += 1 }
            for i in shape.intermediate { widths[i, default: 0] += 1 }
            slots += shape.layers
        }
        #expect(Set(depth.keys) == [2, 3, 4, 5, 6] && Set(heads.keys) == [4, 6, 8, 12] && Set(widths.keys) == [384, 768, 1152, 1536])
        func check(_ counts: [Int: Int], total: Int) {
            let p = 1 / Double(counts.count)
            let sd = (Double(total) * p * (1 - p)).squareRoot()
            for (value, count) in counts { #expect(abs(Double(count) - Double(total) * p) < 5 * sd, "\(value): \(count) of \(total)") }
        }
        check(depth, total: draws)
        check(heads, total: slots)
        check(widths, total: slots)
    }

    @Test func emptyChoicesAreRefused() {
        Fixtures.expectError("head choices") { _ = try UniformSubnetSampler(layers: [2], heads: [], intermediate: [4], seed: 0) }
    }
}
