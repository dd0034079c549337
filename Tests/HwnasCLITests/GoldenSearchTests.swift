import Foundation
import HwnasTestSupport
import Testing

/// `hwnas search --problem zdt1 --seed 1 --json` prints what it printed before the optimiser was
/// assembled from operators, apart from the time it took.
@Suite struct GoldenSearchTests {
    /// The output before the change, kept with the optimiser's tests.
    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("OptimizationTests/Fixtures/zdt1-seed1.json")

    static func parsed(_ data: Data) throws -> NSDictionary {
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return NSDictionary(dictionary: object.filter { $0.key != "elapsedSeconds" })
    }

    @Test func zdt1Seed1MatchesTheGoldenOutput() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--problem", "zdt1", "--seed", "1", "--json"], in: folder, timeout: 120)
        #expect(run.status == 0, "\(run)")
        let output = try Self.parsed(Data(run.stdout.utf8))
        let golden = try Self.parsed(Data(contentsOf: Self.goldenURL))
        #expect(output.allKeys.count == golden.allKeys.count)
        #expect(output.isEqual(golden))
    }
}
