import Optimization
import Support
import Testing

/// Sizes refused before anything is allocated: NSGA-II runs, DTLZ objectives.
@Suite struct RunSizeLimitTests {
    @Test func populationAndObjectiveLimits() throws {
        let settings = NSGA2Settings(population: 99_999_999_999, generations: 200)
        #expect(settings.peakBytes(genomeLength: 30, objectivesCount: 2) > 1e15)
        let largest = settings.largestPopulation(genomeLength: 30, objectivesCount: 2, memoryBytes: 16e9)
        #expect(NSGA2Settings(population: largest, generations: 200).peakBytes(genomeLength: 30, objectivesCount: 2) <= 16e9)
        #expect(NSGA2Settings(population: largest + 10, generations: 200).peakBytes(genomeLength: 30, objectivesCount: 2) > 16e9)
        let error = try #require(throws: HwnasError.self) { try TestProblem(.dtlz1, objectivesCount: 21) }
        #expect(error.message.contains("not 21"), "message: \(error.message)")
        let twenty = try TestProblem(.dtlz1, objectivesCount: 20)
        #expect(twenty.paretoFrontHypervolume?.isFinite == true)
        #expect(twenty.genes.count <= TestProblem.largestGenomeLength)
    }
}
