import ArgumentParser
import Foundation
import Predictors
import Search
import Support
import SuperNet

/// `hwnas predictor`: accuracy predictors fitted on measured sub-networks.
struct PredictorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictor",
        abstract: "Fit accuracy predictors on measured sub-networks and show their cross-validated error.",
        subcommands: [Fit.self, Show.self]
    )

    /// `hwnas predictor fit`: choose, fit and save a predictor.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fit",
            abstract: "Fit an accuracy predictor on DyNAS-T results CSVs and report its cross-validated error.",
            discussion: """
                Features are DyNAS-T's: one-hot of each slot's value, genes in genome order, \
                inactive slots (OFA blocks beyond a stage's depth, layers beyond num_layers) all \
                zero. Candidates: ridge regression (DyNAS-T's linear choice) and kernel ridge \
                regression with an RBF kernel, each with a small hyper-parameter grid.

                Cross-validation is grouped: every copy of a sub-network (the CSVs repeat some, \
                measured again) stays in one fold, so no model is scored on a network it was \
                trained on. Each outer fold's hyper-parameters are chosen by cross-validation on \
                the other folds only; the family with the lowest outer CV MAPE is refitted on all \
                rows. Rows whose metric is 0 (DyNAS-T's mark for not measured) are left out; an \
                accuracy outside 0..100 is refused.

                Kernel ridge regression holds n x n matrices and its time grows with the cube of \
                the rows: a fit that would not fit in this machine's memory, or of more than \
                \(KernelRidgeBudget.maximumRowsAtFiveFolds) rows at 5 folds (fewer at more folds), \
                is refused before it starts; --kind ridge fits the linear model alone, at any size. \
                Progress (fits done of all) goes to stderr; --quiet silences it.

                Writes predictors/<space>.predictor.json (--out elsewhere): the model, the data \
                hash that lets `hwnas evaluate --accuracy-data` reuse it, the genes constant in the \
                data (a search holds them fixed), and the CV report with each row's fold.

                Examples:
                  hwnas predictor fit --space ofa-mbv3-w1.0 --accuracy-data a.csv b.csv
                  hwnas predictor fit --space ofa-mbv3-w1.0 --accuracy-data a.csv --folds 10
                  hwnas predictor fit --space bert-base --accuracy-data s.csv --out p.json
                  hwnas predictor fit --space ofa-mbv3-w1.0 --accuracy-data big.csv --kind ridge
                """
        )

        @Option(help: "The search space (see `hwnas spaces`).", completion: Completions.space)
        var space: String

        @Option(name: .customLong("accuracy-data"), parsing: .upToNextOption,
                help: ArgumentHelp("DyNAS-T results CSVs with the space's metric column.", valueName: "file"), completion: Completions.csv)
        var accuracyData: [String] = []

        @Option(help: ArgumentHelp("Where to save the predictor (default: predictors/<space>.predictor.json).", valueName: "file"))
        var out: String?

        @Option(help: "Cross-validation folds (at least 3).")
        var folds = 5

        @Option(help: "Seed of the fold assignment.")
        var seed: UInt64 = 1

        @Option(name: .customLong("kind"), help: ArgumentHelp("A model family to compare (repeat for both; default both).", valueName: "family"))
        var kinds: [PredictorKind] = []

        @Flag(help: "Print the predictor as JSON on stdout instead of the report.")
        var json = false

        @Flag(help: "No progress on stderr.")
        var quiet = false

        func validate() throws {
            if accuracyData.isEmpty { throw ValidationError("give at least one --accuracy-data file") }
            if folds < 3 { throw ValidationError("--folds must be at least 3 (hyper-parameters are chosen by cross-validation inside the training folds)") }
        }

        func run() throws {
            let space = try SearchSpaces.named(space)
            let url = out.map { URL(fileURLWithPath: $0) } ?? PredictorStore.defaultURL(space: space.name)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
                throw HwnasError("\(out.map { "--out \($0)" } ?? url.relativePath) is a folder: give the predictor's file, e.g. \(url.appendingPathComponent("\(space.name).predictor.json").relativePath)")
            }
            try AtomicFile.checkWritable(folder: url.deletingLastPathComponent())
            let data = try AccuracyData(space: space, files: accuracyData.map { URL(fileURLWithPath: $0) })
            if !json && !quiet {
                FileHandle.standardError.write(Data("fitting on \(data.rows.count) rows (\(data.networks) distinct sub-networks), \(folds)-fold cross-validation...\n".utf8))
            }
            let settings = PredictorSettings(folds: folds, seed: seed, kinds: kinds.isEmpty ? PredictorKind.allCases : Array(Set(kinds)).sorted { $0.rawValue < $1.rawValue })
            let progress = ProgressLine(enabled: !json && !quiet)
            let start = MonotonicClock.now()
            let predictor = try AccuracyPredictor.fit(data: data, settings: settings) { done, total, what in
                progress.update("predictor fit: \(done)/\(total) fits, \(what), \(ProfileCommand.duration(MonotonicClock.seconds(since: start)))")
            }
            progress.finish()
            try predictor.write(to: url)
            if json {
                FileHandle.standardOutput.write(try JSONFormat.encode(predictor))
            } else {
                print(PredictorSummary(predictor: predictor).text)
                print("wrote \(url.relativePath)")
            }
        }
    }

    /// `hwnas predictor show`: the report of a saved predictor.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the cross-validation report of a saved predictor.",
            discussion: """
                --json prints the same report as one JSON object: space, metric, chosen, rows, \
                networks, candidates (kind, chosen, crossValidation, hyperParameters), metrics, \
                constantGenes, constantSlots, fitSeconds, dataHash, trainingFiles.

                Examples:
                  hwnas predictor show predictors/ofa-mbv3-w1.0.predictor.json
                  hwnas predictor show predictors/ofa-mbv3-w1.0.predictor.json --json
                """
        )

        @Argument(help: ArgumentHelp("A predictor file.", valueName: "file"), completion: Completions.json)
        var file: String

        @Flag(help: "Print the report as JSON on stdout.")
        var json = false

        func run() throws {
            let predictor = try AccuracyPredictor.read(from: URL(fileURLWithPath: file))
            if json {
                FileHandle.standardOutput.write(try JSONFormat.encode(PredictorSummaryJSON(predictor: predictor, file: file)))
            } else {
                print(PredictorSummary(predictor: predictor).text)
            }
        }
    }
}

extension PredictorKind: ExpressibleByArgument {}
