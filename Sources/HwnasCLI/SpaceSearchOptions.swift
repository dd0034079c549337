import ArgumentParser
import Foundation
import Optimization
import Search
import Support
import SuperNet
import Workflows

extension SearchAlgorithm: ExpressibleByArgument {}

/// The options of a search over a space, shared by `search` and `compare` (which searches the
/// devices that have no saved Pareto set); population, generations, seed and reference are in
/// `SearchCommand.Options`.
struct SpaceSearchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Two or more of accuracy, latency, macs, params, comma-separated; macs:max or params:max maximise a capacity (default: accuracy,latency with an accuracy source, else latency,macs:max).", valueName: "list"),
            transform: ObjectiveList.init(parsing:))
    var objectives: ObjectiveList?

    @Option(name: .customLong("accuracy-data"), parsing: .upToNextOption,
            help: ArgumentHelp("DyNAS-T results CSVs with measured accuracy: fits a predictor, or reuses the saved fit of the same data.", valueName: "file"), completion: Completions.csv)
    var accuracyData: [String] = []

    @Option(help: ArgumentHelp("A saved accuracy predictor (`hwnas predictor fit`).", valueName: "file"), completion: Completions.json)
    var predictor: String?

    @Option(name: .customLong("predictors-dir"), help: "Where fitted predictors are saved and looked up.")
    var predictorsDir = "predictors"

    @Option(name: .customLong("max"), help: ArgumentHelp("Upper bound, e.g. latency=8ms or macs=300M (repeatable).", valueName: "name=value"),
            transform: ObjectiveBound.init(parsing:))
    var maxima: [ObjectiveBound] = []

    @Option(name: .customLong("min"), help: ArgumentHelp("Lower bound, e.g. accuracy=75 (repeatable).", valueName: "name=value"),
            transform: ObjectiveBound.init(parsing:))
    var minima: [ObjectiveBound] = []

    @Option(help: "nsga2, or random: the baseline, uniform sub-networks with the same number of evaluations.")
    var algorithm: SearchAlgorithm = .nsga2

    @Option(help: ArgumentHelp("A fine-tuned run folder (hwnas finetune --out): accuracy measured by running it as each sub-network.", valueName: "folder"),
            completion: .directory)
    var checkpoint: String?

    @Option(help: "The task --checkpoint's accuracy is measured on: sst2.")
    var task: String?

    @Option(help: ArgumentHelp("The split --checkpoint's accuracy is measured on: val (the last 2,000 phrases of train.tsv; the default) or dev.", valueName: "split"))
    var split: String = "val"

    @Option(help: ArgumentHelp("The folder holding the task's train.tsv and dev.tsv.", valueName: "folder"), completion: .directory)
    var data: String = "data/sst2"

    @Option(help: ArgumentHelp("Rounds of the measure-refit-search loop (with --checkpoint).", valueName: "K"))
    var loop: Int?

    @Option(name: .customLong("measure-per-round"), help: ArgumentHelp("Sub-networks the loop measures for real per round (and at its start).", valueName: "N"))
    var measurePerRound: Int = 20

    var hasAccuracySource: Bool { !accuracyData.isEmpty || predictor != nil || checkpoint != nil }

    /// Refuses options of the measured objective that cannot go together.
    func checkMeasured() throws {
        if checkpoint == nil {
            if task != nil { throw ValidationError("--task needs --checkpoint") }
            if loop != nil { throw ValidationError("--loop measures accuracy: it needs --checkpoint DIR --task sst2") }
        }
        if let task, task != "sst2" { throw ValidationError("--task \(task): measured accuracy knows sst2 only") }
        if !["val", "dev"].contains(split) { throw ValidationError("--split \(split): val (searching; the default) or dev (reporting)") }
        if let loop, loop < 1 { throw ValidationError("--loop \(loop): at least one round") }
        if measurePerRound < 5 { throw ValidationError("--measure-per-round \(measurePerRound): at least 5 (the predictor's cross-validation folds)") }
    }

    /// --objectives, or the default for the accuracy source given.
    var objectiveSpecs: [ObjectiveSpec] {
        objectives?.specs ?? SearchRequest.defaultObjectives(hasAccuracySource: hasAccuracySource)
    }

    var constraints: [SearchConstraint] {
        maxima.map { $0.constraint(.max) } + minima.map { $0.constraint(.min) }
    }

    /// Refuses a --reference whose length is not the number of objectives.
    func checkReference(_ reference: ReferencePoint?) throws {
        let specs = objectiveSpecs
        try reference?.check(objectivesCount: specs.count, of: "--objectives \(specs.map(\.description).joined(separator: ","))")
    }

    /// The search these options ask for on `space`, with the settings of `common`.
    func request(space: any SearchSpace, common: SearchCommand.Options) throws -> SearchRequest {
        SearchRequest(space: space, objectives: objectiveSpecs, constraints: constraints, accuracyData: accuracyData,
                      predictor: predictor, predictorsDir: predictorsDir, settings: try common.settings(),
                      reference: common.reference?.values, algorithm: algorithm, checkpoint: checkpoint, task: task ?? "sst2",
                      split: split, data: data)
    }
}
