import Foundation
import HwnasTestSupport
import Testing

/// `hwnas search --problem`, run as a user would (small runs: population 20, 10 generations).
@Suite struct SearchCommandTests {
    static let small = ["--population", "20", "--generations", "10"]

    static func json(_ run: HwnasProcess.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")
    }

    @Test func jsonHasTheDocumentedKeysAndIsReproducible() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--problem", "zdt1", "--seed", "3", "--json"] + Self.small, in: folder)
        #expect(run.status == 0, "\(run)")
        let report = try Self.json(run)
        #expect(report["problem"] as? String == "zdt1")
        #expect(report["objectivesCount"] as? Int == 2)
        #expect(report["reference"] as? [Double] == [1.1, 1.1])
        #expect(report["evaluations"] as? Int == 200)
        #expect(report["population"] as? Int == 20 && report["generations"] as? Int == 10 && report["seed"] as? Int == 3)
        #expect((report["elapsedSeconds"] as? Double ?? -1) >= 0)
        let front = try #require(report["front"] as? [[Double]])
        #expect(!front.isEmpty && front.allSatisfy { $0.count == 2 })
        let history = try #require(report["hypervolumeHistory"] as? [Double])
        #expect(history.count == 10)
        #expect(history.last == report["hypervolume"] as? Double)
        #expect(abs((report["paretoFrontHypervolume"] as? Double ?? 0) - (1.21 - 1.0 / 3)) < 1e-12)
        #expect(report["hypervolumeStandardError"] == nil)
        let again = try Self.json(try HwnasProcess.run(["search", "--problem", "zdt1", "--seed", "3", "--json"] + Self.small, in: folder))
        #expect(again["front"] as? [[Double]] == front)
    }

    @Test func plainOutputAndOtherProblems() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--problem", "dtlz2"] + Self.small, in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("evaluations  200"))
        #expect(run.stdout.contains("at reference (1.1, 1.1, 1.1)"))
        let four = try Self.json(try HwnasProcess.run(["search", "--problem", "dtlz2", "--objectives-count", "4", "--reference", "2,2,2,2", "--json"] + Self.small, in: folder))
        #expect(four["reference"] as? [Double] == [2, 2, 2, 2])
        #expect((four["hypervolumeStandardError"] as? Double ?? -1) > 0)
        #expect(four["paretoFrontHypervolume"] == nil)
    }
}
