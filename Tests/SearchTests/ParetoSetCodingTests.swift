import Foundation
import Search
import Support
import SuperNet
import Testing

/// In memory a Pareto set holds objective specs and members keyed by objective kind; on disk
/// it stays what it was: `objectives` and `senses` as two lists of names, values keyed by name.
@Suite struct ParetoSetCodingTests {
    @Test func specsInMemoryNamesOnDisk() throws {
        var search = try DeviceSearchTests.search(objectives: { latency, space in
            var macs = MACsObjective(space: space)
            macs.sense = .maximize
            return [latency, macs]
        })
        search.settings.generations = 3
        let set = try search.run()
        #expect(set.objectives == [ObjectiveSpec(kind: .latency), ObjectiveSpec(kind: .macs, sense: .maximize)])
        #expect(set.axes.x.kind == .latency && set.axes.y.kind == .macs && set.index(of: .macs) == 1)

        let data = try JSONFormat.encode(set)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["objectives"] as? [String] == ["latency", "macs"])
        #expect(json["senses"] as? [String] == ["minimize", "maximize"])
        let member = try #require((json["front"] as? [[String: Any]])?.first)
        #expect((member["values"] as? [String: Double]).map { Set($0.keys) } == ["latency", "macs"])

        let read = try JSONDecoder().decode(ParetoSet.self, from: data)
        #expect(read.objectives == set.objectives)
        #expect(read.front.map(\.values) == set.front.map(\.values))
        #expect(try JSONFormat.encode(read) == data)
    }

    @Test func aSetWithUnequalListsIsRefusedNamingTheField() throws {
        let set = try DeviceSearchTests.search().run()
        var json = try #require(try JSONSerialization.jsonObject(with: try JSONFormat.encode(set)) as? [String: Any])
        json["senses"] = ["minimize"]
        let data = try JSONSerialization.data(withJSONObject: json)
        #expect {
            try JSONDecoder().decode(ParetoSet.self, from: data)
        } throws: { error in
            JSONFormat.describe(error).contains("senses") && JSONFormat.describe(error).contains("1 senses for 2 objectives")
        }
    }
}
