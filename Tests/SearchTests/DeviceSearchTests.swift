import CostModel
import Foundation
import Optimization
import Search
import Support
import SuperNet
import Testing

/// Searches of a real space on the shipped cost tables.
@Suite struct DeviceSearchTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tablePath = "profiles/amd-zen3-t1/bert-base.lut.json"

    static func search(constraints: [SearchConstraint] = [], seed: UInt64 = 5, objectives: (LatencyObjective, any SearchSpace) -> [any Objective] = { latency, space in [latency, MACsObjective(space: space)] }) throws -> DeviceSearch {
        let space = BertBaseSpace()
        let table = try CostTable.read(from: root.appendingPathComponent(tablePath))
        let latency = try LatencyObjective(table: table, space: space, tablePath: tablePath)
        let problem = try SpaceProblem(space: space, objectives: objectives(latency, space), constraints: constraints,
                                       measures: [latency, MACsObjective(space: space), ParamsObjective(space: space)])
        return DeviceSearch(problem: problem, device: "amd-zen3-t1", settings: NSGA2Settings(population: 30, generations: 15, seed: seed),
                            provenance: .init(table: tablePath, predictor: nil))
    }

    @Test func everyMemberIsFeasibleAndNoneDominatesAnother() throws {
        let bound = SearchConstraint(objective: .latency, bound: .max, value: 200)
        // A stand-in accuracy that grows with the layers' widths: a real trade-off against latency.
        let width = AccuracyObjective(metric: "width", provenance: "test") { subnet in
            Double(zip(subnet["num_attention_heads"], subnet["intermediate_size"]).prefix(subnet.scalar("num_layers"))
                .reduce(0) { $0 + $1.0 * 64 + $1.1 })
        }
        let set = try Self.search(constraints: [bound], objectives: { latency, _ in [latency, width] }).run()
        #expect(set.front.count >= 3)
        for member in set.front {
            #expect(try #require(member.values[.latency]) <= 200)
            #expect(member.latencyMs == member.values[.latency])
        }
        let points = set.front.map { [$0.values[.latency]!, -$0.values[.accuracy]!] }
        for (i, p) in points.enumerated() {
            for (j, q) in points.enumerated() where i != j {
                let dominates = zip(p, q).allSatisfy { $0 <= $1 } && zip(p, q).contains { $0 < $1 }
                #expect(!dominates, "member \(i) dominates member \(j)")
            }
        }
        #expect(set.settings.constraints == ["latency <= 200 ms"])
        #expect(set.hypervolumeHistory.count == 15 && set.hypervolumeHistory.last == set.hypervolume)
        // The search improves on its random start (crowding may trim a front, so not every step rises).
        #expect(set.hypervolume > set.hypervolumeHistory[0])
    }

    @Test func theSameSeedGivesTheSameFront() throws {
        let a = try Self.search(seed: 9).run(), b = try Self.search(seed: 9).run()
        #expect(a.front.map(\.subnet.subnet) == b.front.map(\.subnet.subnet))
        #expect(a.hypervolume == b.hypervolume)
        let c = try Self.search(seed: 10).run()
        #expect(c.front.map(\.subnet.subnet) != a.front.map(\.subnet.subnet))
    }

    @Test func anImpossibleBoundNamesTheClosestSubnetwork() throws {
        let bound = SearchConstraint(objective: .macs, bound: .max, value: 1e6)
        #expect {
            try Self.search(constraints: [bound]).run()
        } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains("no sub-network of bert-base satisfies macs <= 1M") && message.contains("the closest has macs ")
                && message.contains("num_layers")
        }
    }

    @Test func theReferenceIsTheWorstOfTheFinalPopulationPlusATenthOfItsRange() throws {
        let set = try Self.search().run()
        #expect(set.referenceSource.contains("10%"))
        let latencies = set.front.compactMap { $0.values[.latency] }
        #expect(set.reference[0] > latencies.max()!)
        let given = try Self.search().run()
        var fixed = try Self.search()
        fixed.reference = [1000, 20e9]
        let withReference = try fixed.run()
        #expect(withReference.reference == [1000, 20e9] && withReference.referenceSource == "given")
        #expect(withReference.hypervolume > given.hypervolume)
    }

    @Test func constraintsParseUnitsAndRefuseNonsense() throws {
        #expect(try SearchConstraint(parsing: "latency=8ms", bound: .max).value == 8)
        #expect(try SearchConstraint(parsing: "latency=0.5s", bound: .max).value == 500)
        #expect(try SearchConstraint(parsing: "macs=300M", bound: .max).value == 300e6)
        #expect(try SearchConstraint(parsing: "accuracy=75", bound: .min).value == 75)
        for (text, culprit) in [("speed=3", "unknown objective 'speed'"), ("latency=8kg", "unit 'kg'"), ("latency", "'latency': expected name=value")] {
            let error = try #require(throws: HwnasError.self) { try SearchConstraint(parsing: text, bound: .max) }
            #expect(error.message.contains(culprit), "message: \(error.message)")
        }
        for (text, culprit) in [("accuracy,speed", "unknown objective 'speed'"), ("latency", "got 'latency'")] {
            let error = try #require(throws: HwnasError.self) { try ObjectiveSpec.parseList(text) }
            #expect(error.message.contains(culprit), "message: \(error.message)")
        }
        #expect(try ObjectiveSpec.parseList("accuracy, latency").map(\.kind) == [.accuracy, .latency])
    }
}
