import CostModel
import Foundation
import Search
import Support
import SuperNet
import Testing

/// The search's latency is the table's prediction to the last bit, whichever calibration the
/// table uses (a report compares a search's sets through `CostTable.predict`).
@Suite struct LatencyObjectiveTests {
    @Test(arguments: ["profiles/amd-zen4-t1/ofa-mbv3-w1.0.lut.json", "profiles/amd-zen3-t1/ofa-mbv3-w1.0.lut.json",
                      "profiles/amd-zen4-t1/bert-base.lut.json"])
    func theObjectiveIsThePrediction(path: String) throws {
        let table = try CostTable.read(from: DeviceSearchTests.root.appendingPathComponent(path))
        let space = try SearchSpaces.named(table.space)
        let objective = try LatencyObjective(table: table, space: space, tablePath: path)
        if path.contains("zen4-t1/ofa") { #expect(table.kindCalibration != nil, "the shipped zen4 ofa table has per-kind slopes") }
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let subnet = space.sample(using: &generator)
            #expect(objective.value(of: subnet) == (try table.predict(subnet, space: space)).latencyMs)
        }
    }
}
