import Foundation
import Optimization
import Testing

/// NSGA-II's results stay bit for bit what they were before it was assembled from operators:
/// the same random draws in the same order give the same fronts.
@Suite struct GoldenFrontTests {
    /// The fields of `hwnas search --problem zdt1 --seed 1 --json` that the optimiser decides.
    struct Golden: Decodable {
        var population: Int
        var generations: Int
        var seed: UInt64
        var evaluations: Int
        var reference: [Double]
        var hypervolume: Double
        var hypervolumeHistory: [Double]
        var front: [[Double]]
    }

    /// The output of `hwnas search --problem zdt1 --seed 1 --json` before the change.
    static func golden() throws -> Golden {
        let url = try #require(Bundle.module.url(forResource: "zdt1-seed1", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    @Test func zdt1FrontIsUnchanged() throws {
        let golden = try Self.golden()
        let problem = try TestProblem.named("zdt1")
        let settings = NSGA2Settings(population: golden.population, generations: golden.generations, seed: golden.seed)
        let result = try NSGA2(settings: settings).run(problem)
        #expect(result.evaluations == golden.evaluations)
        #expect(problem.referencePoint == golden.reference)
        #expect(result.frontObjectives == golden.front)
        #expect(Hypervolume.of(result.frontObjectives, reference: golden.reference).value == golden.hypervolume)
        #expect(result.hypervolumeHistory(reference: golden.reference).map(\.value) == golden.hypervolumeHistory)
    }

    @Test func bothOptimisersRunThroughTheProtocol() throws {
        let problem = try TestProblem.named("zdt1")
        let settings = NSGA2Settings(population: 20, generations: 5, seed: 3)
        for algorithm in SearchAlgorithm.allCases {
            let optimizer: any Optimizer = algorithm.optimizer(settings)
            var reports = 0
            let result = try optimizer.run(problem) { _ in reports += 1 }
            #expect(result.evaluations == settings.evaluations)
            #expect(reports == settings.generations)
            #expect(optimizer.title == algorithm.title)
        }
        // The protocol runs exactly what the concrete type runs.
        let direct = try NSGA2(settings: settings).run(problem)
        let viaProtocol = try SearchAlgorithm.nsga2.optimizer(settings).run(problem, progress: nil)
        #expect(direct.population == viaProtocol.population)
    }
}
