import ArgumentParser
import Foundation
@testable import HwnasCLI
import Search
import Testing

/// The command line parsed in-process, as swift-argument-parser's `AssertParseCommand` does:
/// the values options parse into, and the usage errors (exit 64, with the usage line) that name
/// the value at fault. Runs that fail before they read or write anything are run in-process too.
@Suite struct OptionParsingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var profiles: String { root.appendingPathComponent("profiles").path }
    static let small = ["--population", "20", "--generations", "8"]

    /// `arguments` parsed as `hwnas` parses them (validation included), as the subcommand `C`.
    static func parse<C: ParsableCommand>(_ arguments: [String], as type: C.Type) throws -> C {
        try #require(try HwnasCommand.parseAsRoot(arguments) as? C)
    }

    /// The full message `hwnas` prints for the usage error `arguments` give; records an issue
    /// when they parse, or fail with another exit code than 64.
    static func usageError(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            _ = try HwnasCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed", sourceLocation: sourceLocation)
            return ""
        } catch {
            #expect(HwnasCommand.exitCode(for: error) == .validationFailure, "\(arguments): \(error)", sourceLocation: sourceLocation)
            return HwnasCommand.fullMessage(for: error)
        }
    }

    /// The message of the error a parsed command's run throws, "" when it succeeds.
    static func runError(_ arguments: [String]) -> String {
        do {
            var command = try HwnasCommand.parseAsRoot(arguments)
            try command.run()
            return ""
        } catch {
            return HwnasCommand.fullMessage(for: error)
        }
    }

    // MARK: - Values

    @Test func searchOptionsParseIntoTypedValues() throws {
        let search = try Self.parse(["search", "--space", "bert-base", "--device", "amd-zen3-t1", "--objectives", "latency, macs:max",
                                     "--max", "latency=8ms", "--max", "macs=300M", "--min", "params=1k", "--reference", "10, 2e9"],
                                    as: SearchCommand.self)
        #expect(search.spaceOptions.objectiveSpecs == [ObjectiveSpec(kind: .latency), ObjectiveSpec(kind: .macs, sense: .maximize)])
        #expect(search.spaceOptions.constraints == [SearchConstraint(objective: .latency, bound: .max, value: 8),
                                                    SearchConstraint(objective: .macs, bound: .max, value: 300e6),
                                                    SearchConstraint(objective: .params, bound: .min, value: 1e3)])
        #expect(search.options.reference?.values == [10, 2e9])
        #expect(search.devices == ["amd-zen3-t1"] && search.space == "bert-base")
    }

    @Test func defaultObjectivesFollowTheAccuracySource() throws {
        let plain = try Self.parse(["search", "--space", "bert-base", "--reference", "1,2"], as: SearchCommand.self)
        #expect(plain.spaceOptions.objectiveSpecs.map(\.description) == ["latency", "macs:max"])
        let predicted = try Self.parse(["search", "--space", "ofa-mbv3-w1.0", "--predictor", "p.json"], as: SearchCommand.self)
        #expect(predicted.spaceOptions.objectiveSpecs.map(\.description) == ["accuracy", "latency"])
        let problem = try Self.parse(["search", "--problem", "dtlz2", "--objectives-count", "4", "--reference", "2,2,2,2"], as: SearchCommand.self)
        #expect(problem.options.reference?.values == [2, 2, 2, 2] && problem.objectivesCount == 4)
    }

    @Test func compareTakesTheSameSearchOptions() throws {
        let compare = try Self.parse(["compare", "--space", "bert-base", "--device", "a", "--device", "b", "--objectives", "latency,params:max",
                                      "--min", "accuracy=75%", "--sample", "40", "--fresh"], as: CompareCommand.self)
        #expect(compare.search.objectiveSpecs.map(\.description) == ["latency", "params:max"])
        #expect(compare.search.constraints == [SearchConstraint(objective: .accuracy, bound: .min, value: 75)])
        #expect(compare.sample == 40 && compare.fresh && !compare.force)
    }

    // MARK: - Usage errors

    @Test(arguments: [
        (["--objectives", "latency,speed"], ["'latency,speed'", "--objectives <list>", "unknown objective 'speed'"]),
        (["--objectives", "latency:max,macs"], ["'latency:max,macs'", "only macs and params can be maximised"]),
        (["--objectives", "latency"], ["'latency'", "--objectives needs two or more"]),
        (["--objectives", "latency,latency"], ["objective 'latency' is listed twice"]),
        (["--max", "latency=abc"], ["'latency=abc'", "--max <name=value>", "'abc' is not a number"]),
        (["--max", "speed=3"], ["'speed=3'", "unknown objective 'speed'"]),
        (["--max", "latency=8kg"], ["'latency=8kg'", "unit 'kg' does not fit latency (use ms, s, us)"]),
        (["--min", "accuracy"], ["'accuracy'", "--min <name=value>", "expected name=value"]),
        (["--reference", "1,x"], ["'1,x'", "--reference <v1,v2,...>", "'x' is not a number"]),
        (["--reference", "1,,2"], ["'1,,2'", "'' is not a number"]),
        (["--reference", "1,2,3"], ["--reference has 3 values; --objectives latency,macs has 2 objectives"]),
        (["--reference", "1", "--objectives", "latency,macs,params"], ["--reference has 1 value; --objectives latency,macs,params has 3 objectives"]),
        (["--reference", "1,2,3", "--predictor", "p.json"], ["--reference has 3 values; --objectives accuracy,latency has 2 objectives"]),
    ])
    func badSpaceSearchValuesAreUsageErrors(arguments: [String], parts: [String]) {
        var full = ["search", "--space", "bert-base", "--device", "amd-zen3-t1"]
        if !arguments.contains("--objectives") && !arguments.contains("--predictor") { full += ["--objectives", "latency,macs"] }
        let message = Self.usageError(full + arguments)
        for part in parts { #expect(message.contains(part), "\(part) not in: \(message)") }
        #expect(message.contains("Usage: hwnas search"), "\(message)")
    }

    @Test(arguments: [
        (["--problem", "zdt1", "--reference", "1,1,1"], "--reference has 3 values; zdt1 has 2 objectives"),
        (["--problem", "dtlz2", "--objectives-count", "4", "--reference", "1,1,1"], "--reference has 3 values; dtlz2 has 4 objectives"),
        (["--problem", "zdt1", "--reference", "1,x"], "'x' is not a number"),
        (["--problem", "dtlz1", "--objectives-count", "21"], "--objectives-count 21: at most 20"),
    ])
    func badProblemValuesAreUsageErrors(arguments: [String], part: String) {
        let message = Self.usageError(["search"] + arguments)
        #expect(message.contains(part) && message.contains("Usage: hwnas search"), "\(message)")
    }

    @Test(arguments: [
        (["--device", "a", "--device", "a"], "a --device is given twice"),
        (["--device", "a"], "give two or more --device"),
        (["--device", "a", "--device", "b", "--sample", "9"], "--sample must be at least 10"),
        (["--device", "a", "--device", "b", "--reference", "1"], "--reference has 1 value; --objectives latency,macs:max has 2 objectives"),
        (["--device", "a", "--device", "b", "--max", "latency=fast"], "'fast' is not a number"),
    ])
    func badCompareValuesAreUsageErrors(arguments: [String], part: String) {
        let message = Self.usageError(["compare", "--space", "bert-base"] + arguments)
        #expect(message.contains(part) && message.contains("Usage: hwnas compare"), "\(message)")
    }

    @Test(arguments: [
        (["hardwear"], "hardwear"),
        (["hardware", "--calibration", "bogus"], "bogus"),
        (["tables"], "--profile"),
        (["tables", "--profile", "x.json", "--validate", "2"], "--validate"),
    ])
    func otherUsageErrorsNameTheValue(arguments: [String], part: String) {
        let message = Self.usageError(arguments)
        #expect(message.contains(part), "\(message)")
    }

    @Test func helpHasExamples() throws {
        let help = HwnasCommand.helpMessage(for: HardwareCommand.self)
        for part in ["Examples", "--calibration", "--from-xml"] { #expect(help.contains(part), "\(part)") }
        #expect(HwnasCommand.helpMessage(for: SearchCommand.self).contains("--max <name=value>"))
    }

    // MARK: - Errors of runs that stop before writing results

    @Test(arguments: [
        (["--problem", "zdt5"], "unknown problem 'zdt5'; known problems: zdt1, zdt2, zdt3, zdt4, zdt6, dtlz1, dtlz2"),
        (["--problem", "zdt2", "--objectives-count", "3"], "zdt2 has 2 objectives, not 3"),
        (["--problem", "dtlz1", "--objectives-count", "1"], "dtlz1 needs at least 2 objectives, not 1"),
        (["--problem", "zdt1", "--population", "3"], "--population must be at least 4, not 3"),
        (["--problem", "zdt1", "--generations", "0"], "--generations must be at least 1, not 0"),
        ([], "or --problem NAME"),
        (["--problem", "zdt1", "--space", "bert-base"], "give --space or --problem, not both"),
    ])
    func badProblemInputIsRefusedWithAMessage(arguments: [String], message: String) {
        let error = Self.runError(["search"] + arguments)
        #expect(error.contains(message), "\(error)")
    }

    @Test(arguments: [
        (["--objectives", "accuracy,latency"], "needs an accuracy source"),
        (["--device", "amd-zen3-t9"], "no device 'amd-zen3-t9'"),
        (["--max", "latency=0.001ms"], "no sub-network of bert-base satisfies latency <= 0.001 ms"),
        (["--max", "latency=1ms", "--min", "macs=1G"], "the closest has"),
        (["--accuracy-data", "a.csv", "--predictor", "p.json"], "give --accuracy-data or --predictor, not both"),
    ])
    func badSearchInputIsRefused(arguments: [String], message: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-parse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var full = ["search", "--space", "bert-base", "--profiles-dir", Self.profiles, "--results-dir", folder.path] + Self.small
        if !arguments.contains("--device") { full += ["--device", "amd-zen3-t1"] }
        if !arguments.contains("--objectives") { full += ["--objectives", "latency,macs"] }
        let error = Self.runError(full + arguments)
        #expect(error.contains(message), "\(error)")
        // At most the results folder's lock file, taken before a search that finds no feasible sub-network.
        let written = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []
        #expect(written.allSatisfy { $0 == "bert-base" || $0.hasSuffix(".hwnas.lock") }, "a refused search wrote \(written)")
    }
}
