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

    var hasAccuracySource: Bool { !accuracyData.isEmpty || predictor != nil }

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
                      reference: common.reference?.values, algorithm: algorithm)
    }
}
