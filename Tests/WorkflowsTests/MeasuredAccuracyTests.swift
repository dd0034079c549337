import Datasets
import Foundation
import Optimization
import Reports
import Search
import Support
import SuperNet
import Testing
import Training
@testable import Workflows

/// Accuracy measured on a fine-tuned checkpoint: the cache, the search objective, the loop.
@Suite("Measured accuracy", .serialized)
struct MeasuredAccuracyTests {
    static let space = MiniLML6Space()

    /// A checkpoint of `steps` plain fine-tuning steps of the fixture, in `name`.
    static func checkpoint(_ fixture: MiniLMFixture, steps: Int = 2, name: String = "ckpt") throws -> URL {
        let out = fixture.root.appendingPathComponent(name)
        var settings = fixture.settings(steps: steps)
        settings.evalEvery = 0
        try fixture.run(settings, out: out).run()
        return out
    }

    static func subnet(_ text: String) throws -> Subnet { try space.subnet(parsing: text) }
    static let small = "{'num_layers': [2], 'num_attention_heads': [4, 6, 4, 4, 4, 4], 'intermediate_size': [384, 768, 384, 384, 384, 384]}"
    static let full = "{'num_layers': [6], 'num_attention_heads': [12, 12, 12, 12, 12, 12], 'intermediate_size': [1536, 1536, 1536, 1536, 1536, 1536]}"

    @Test("a measurement is what the checkpoint's own evaluation gives, is cached with its header, and is read back instead of measured again")
    func measuresAndCaches() throws {
        let fixture = try MiniLMFixture()
        defer { fixture.remove() }
        let folder = try Self.checkpoint(fixture)
        let measurer = try MeasuredAccuracy(checkpoint: folder, split: .dev, data: fixture.data)
        let small = try Self.subnet(Self.small), full = try Self.subnet(Self.full)
        let a = try measurer.measure(small), b = try measurer.measure(full)
        #expect(measurer.measured == 2)
        let dev = try SST2Task(folder: fixture.data).examples(.dev)
        let reference = try FineTunedCheckpoint(folder: folder)
        #expect(a.accuracy == (try reference.accuracy(on: dev, layers: 2, heads: [4, 6], intermediate: [384, 768])))
        #expect(b.accuracy == (try reference.accuracy(on: dev, layers: 6, heads: Array(repeating: 12, count: 6), intermediate: Array(repeating: 1536, count: 6))))
        #expect(a.examples == 40 && (0..<40).filter(a.isCorrect).count == a.correct)
        #expect(abs(a.accuracy - 100 * Double(a.correct) / 40) < 1e-12)
        // Inactive slots do not make another network.
        let same = try Self.subnet("{'num_layers': [2], 'num_attention_heads': [4, 6, 12, 12, 12, 12], 'intermediate_size': [384, 768, 1536, 1536, 1536, 1536]}")
        #expect(try measurer.measure(same) == a && measurer.measured == 2)

        let lines = try String(contentsOf: measurer.cache.url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(measurer.cache.url.lastPathComponent.hasPrefix("sst2.dev."))
        let header = try JSONDecoder().decode(AccuracyCache.Header.self, from: Data(lines[0].utf8))
        #expect(header.modelSha256 == SHA256.hex(ofFile: folder.appendingPathComponent("model.safetensors")))
        #expect(header.split == "dev" && header.examples == 40 && header.maxLength == 12)

        // A new reader measures nothing already there.
        let again = try MeasuredAccuracy(checkpoint: folder, split: .dev, data: fixture.data)
        #expect(try again.measure(full) == b && again.measured == 0)
        // val is another file.
        let val = try MeasuredAccuracy(checkpoint: folder, split: .val, data: fixture.data)
        #expect(val.cache.url != measurer.cache.url && val.cache.count == 0 && val.examples.count == 2_000)
    }

    @Test("the cache refuses the measurements of another checkpoint; checkpoints of another space or shape are refused")
    func refusals() throws {
        let fixture = try MiniLMFixture()
        defer { fixture.remove() }
        let first = try Self.checkpoint(fixture, steps: 2, name: "first")
        let second = try Self.checkpoint(fixture, steps: 3, name: "second")
        let measurer = try MeasuredAccuracy(checkpoint: first, split: .dev, data: fixture.data)
        _ = try measurer.measure(Self.subnet(Self.small))
        try FileManager.default.copyItem(at: first.appendingPathComponent("accuracy"), to: second.appendingPathComponent("accuracy"))
        let copied = try String(contentsOf: second.appendingPathComponent("accuracy").appendingPathComponent(measurer.cache.url.lastPathComponent), encoding: .utf8)
        let error = #expect(throws: HwnasError.self) { _ = try MeasuredAccuracy(checkpoint: second, split: .dev, data: fixture.data) }
        #expect(error?.message.contains("another checkpoint") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(measurer.cache.header.modelSha256) == true)
        // Nothing was changed.
        #expect(try String(contentsOf: second.appendingPathComponent("accuracy").appendingPathComponent(measurer.cache.url.lastPathComponent), encoding: .utf8) == copied)

        // A checkpoint of another shape (a 2-layer model of hidden 16).
        let tiny = try FineTuneFixture()
        defer { tiny.remove() }
        try tiny.run(tiny.settings(steps: 2)).run()
        let shape = #expect(throws: HwnasError.self) { _ = try MeasuredAccuracy(checkpoint: tiny.out, split: .dev, data: fixture.data) }
        #expect(shape?.message.contains("is not a minilm-l6 model") == true, "\(shape?.message ?? "")")
        // A checkpoint whose run was of another space.
        let stateURL = first.appendingPathComponent("state.json")
        var state = try JSONDecoder().decode(FineTuneRecord.State.self, from: Data(contentsOf: stateURL))
        state.settings.space = "bert-base"
        try JSONFormat.encode(state).write(to: stateURL)
        let space = #expect(throws: HwnasError.self) { _ = try MeasuredAccuracy(checkpoint: first, split: .dev, data: fixture.data) }
        #expect(space?.message.contains("space 'bert-base'") == true, "\(space?.message ?? "")")
    }

    static func request(checkpoint: URL, fixture: MiniLMFixture, population: Int, generations: Int, split: String = "dev") -> SearchRequest {
        SearchRequest(space: space, settings: NSGA2Settings(population: population, generations: generations, seed: 2),
                      checkpoint: checkpoint.path, split: split, data: fixture.data.path)
    }

    @Test("a search on measured accuracy writes measured values and says the split; one that could measure over 500 is refused with its time")
    func searchOnMeasuredAccuracy() throws {
        let fixture = try MiniLMFixture()
        defer { fixture.remove() }
        let folder = try Self.checkpoint(fixture)
        let results = fixture.root.appendingPathComponent("results")
        let recorder = RecordingReporter()
        let run = SpaceSearchRun(request: Self.request(checkpoint: folder, fixture: fixture, population: 6, generations: 3),
                                 devices: [MiniLMFixture.device], catalog: fixture.catalog, folder: results)
        let sets = try run.run(reporter: recorder.reporter)
        let set = try #require(sets.first)
        #expect(set.provenance.accuracySource == "measured" && set.provenance.split == "dev")
        #expect(set.provenance.checkpointSha256 == SHA256.hex(ofFile: folder.appendingPathComponent("model.safetensors")))
        #expect(set.labels.contains("Measured SST-2 Acc (dev)"))
        let measurer = try MeasuredAccuracy(checkpoint: folder, split: .dev, data: fixture.data)
        #expect(measurer.cache.count >= set.front.count && measurer.cache.count <= 18)
        for member in set.front {
            let entry = try #require(measurer.cache.entry(network: measurer.network(member.subnet.subnet)))
            #expect(member.accuracy == entry.accuracy && member.measuredAccuracy == entry.accuracy)
        }
        #expect(recorder.said.contains { $0.contains("dev (dev.tsv") })

        // 30 x 20 = 600 evaluations: refused, with the time one measurement took.
        let big = SpaceSearchRun(request: Self.request(checkpoint: folder, fixture: fixture, population: 30, generations: 20),
                                 devices: [MiniLMFixture.device], catalog: fixture.catalog, folder: results, force: true)
        let error = #expect(throws: HwnasError.self) { _ = try big.run(reporter: .silent) }
        #expect(error?.message.contains("up to 600 sub-networks") == true && error?.message.contains("--loop") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(" s per measurement") == true)
    }

    @Test("the loop measures its archive start, reports Kendall tau per round, and writes measured accuracy only (0 where none)")
    func loop() throws {
        let fixture = try MiniLMFixture()
        defer { fixture.remove() }
        let folder = try Self.checkpoint(fixture)
        let results = fixture.root.appendingPathComponent("results")
        let run = MeasuredSearchRun(request: Self.request(checkpoint: folder, fixture: fixture, population: 12, generations: 4),
                                    devices: [MiniLMFixture.device], catalog: fixture.catalog, folder: results, rounds: 2, perRound: 5)
        let recorder = RecordingReporter()
        var sets: [ParetoSet] = []
        let reports = try run.run(reporter: recorder.reporter) { set, _, _ in sets.append(set) }
        let report = try #require(reports.first)
        let set = try #require(sets.first)
        #expect(report.roundsDone.count == 2 && report.split == "dev")
        // The start: the smallest and the largest and 3 random; then up to 5 per round.
        let start = report.archive.filter { $0.round == 0 }
        #expect(start.count == 5)
        #expect(start[0].subnet.subnet == (try Self.subnet("{'num_layers': [2], 'num_attention_heads': [4, 4, 4, 4, 4, 4], 'intermediate_size': [384, 384, 384, 384, 384, 384]}")))
        #expect(start[1].subnet.subnet == (try Self.subnet(Self.full)))
        #expect(report.roundsDone[0].fittedOn == 5)
        #expect(report.roundsDone[1].fittedOn == 5 + report.roundsDone[0].measured)
        for round in report.roundsDone where round.measured >= 2 { #expect(round.kendallTau.map { (-1...1).contains($0) } == true) }
        #expect(Set(report.archive.map(\.network)).count == report.archive.count)
        #expect(report.archive.filter { $0.round > 0 }.allSatisfy { $0.predictedAccuracy != nil })

        // The CSV's metric is the measured accuracy, 0 for members not measured; never predicted.
        let csv = try String(contentsOf: results.appendingPathComponent("\(MiniLMFixture.device).pareto.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst()
        #expect(rows.count == set.front.count)
        let measuredByNetwork = Dictionary(report.archive.map { ($0.subnet.subnet, $0.measuredAccuracy) }, uniquingKeysWith: { a, _ in a })
        for (row, member) in zip(rows, set.front) {
            let value = Double(row.split(separator: ",").last!)!
            let expected = member.measuredAccuracy ?? 0
            #expect(abs(value - expected) < 1e-4, "\(row)")
            #expect(member.predictedAccuracy != nil)
            #expect(member.measuredAccuracy == measuredByNetwork.first { Self.space.canonicalGenome(of: $0.key) == Self.space.canonicalGenome(of: member.subnet.subnet) }?.value)
        }
        #expect(set.provenance.accuracySource == "loop")
        for suffix in ["loop.json", "loop-archive.csv", "loop-predictor.json", "pareto.json", "pareto.svg"] {
            #expect(FileManager.default.fileExists(atPath: results.appendingPathComponent("\(MiniLMFixture.device).\(suffix)").path), "\(suffix)")
        }
        #expect(recorder.said.contains { $0.contains("Kendall tau") })
        // Run again: refused without --force; with it, every measurement comes from the cache.
        #expect(throws: HwnasError.self) { _ = try run.run(reporter: .silent) }
        var again = run
        again.force = true
        let second = try again.run(reporter: .silent)
        #expect(second.first?.measuredNow == 0)
        #expect(second.first?.archive.map(\.measuredAccuracy) == report.archive.map(\.measuredAccuracy))
    }
}
