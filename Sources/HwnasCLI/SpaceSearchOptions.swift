import ArgumentParser
import Foundation
import Search
import Support
import SuperNet

extension SearchAlgorithm: ExpressibleByArgument {}

/// The options of a search over a space, shared by `search` and `compare` (which searches the
/// devices that have no saved Pareto set); population, generations, seed and reference are in
/// `SearchCommand.Options`.
struct SpaceSearchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Two or more of accuracy, latency, macs, params, comma-separated; macs:max or params:max maximise a capacity (default: accuracy,latency with an accuracy source, else latency,macs:max).", valueName: "list"))
    var objectives: String?

    @Option(name: .customLong("accuracy-data"), parsing: .upToNextOption,
            help: ArgumentHelp("DyNAS-T results CSVs with measured accuracy: fits a predictor, or reuses the saved fit of the same data.", valueName: "file"), completion: Completions.csv)
    var accuracyData: [String] = []

    @Option(help: ArgumentHelp("A saved accuracy predictor (`hwnas predictor fit`).", valueName: "file"), completion: Completions.json)
    var predictor: String?

    @Option(name: .customLong("predictors-dir"), help: "Where fitted predictors are saved and looked up.")
    var predictorsDir = "predictors"

    @Option(name: .customLong("max"), help: ArgumentHelp("Upper bound, e.g. latency=8ms or macs=300M (repeatable).", valueName: "name=value"))
    var maxima: [String] = []

    @Option(name: .customLong("min"), help: ArgumentHelp("Lower bound, e.g. accuracy=75 (repeatable).", valueName: "name=value"))
    var minima: [String] = []

    @Option(help: "nsga2, or random: the baseline, uniform sub-networks with the same number of evaluations.")
    var algorithm: SearchAlgorithm = .nsga2

    var hasAccuracySource: Bool { !accuracyData.isEmpty || predictor != nil }

    func objectiveSpecs(space: any SearchSpace) throws -> [ObjectiveSpec] {
        if let objectives { return try ObjectiveSpec.parseList(objectives) }
        return hasAccuracySource ? [ObjectiveSpec(kind: .accuracy), ObjectiveSpec(kind: .latency)]
            : [ObjectiveSpec(kind: .latency), ObjectiveSpec(kind: .macs, sense: .maximize)]
    }

    func constraints() throws -> [SearchConstraint] {
        try maxima.map { try SearchConstraint(parsing: $0, bound: .max) }
            + minima.map { try SearchConstraint(parsing: $0, bound: .min) }
    }

    /// The plan for every device: objectives, bounds, accuracy source and settings checked once.
    func plan(space: any SearchSpace, specs: [ObjectiveSpec], common: SearchCommand.Options,
              warn: (String) -> Void, say: (String) -> Void) throws -> SearchPlan {
        if !accuracyData.isEmpty, predictor != nil {
            throw HwnasError("give --accuracy-data or --predictor, not both")
        }
        let constraints = try constraints()
        let reference = common.reference == nil ? nil
            : try common.referencePoint(objectivesCount: specs.count, of: "--objectives \(specs.map(\.description).joined(separator: ","))", fallback: [])
        let needsAccuracy = specs.contains { $0.kind == .accuracy } || constraints.contains { $0.objective == .accuracy }
        var plan = SearchPlan(space: space, specs: specs, constraints: constraints, accuracy: nil, predictorPath: nil,
                              accuracyFixedGenes: [:], settings: try common.settings(), reference: reference,
                              algorithm: algorithm)
        if needsAccuracy {
            guard hasAccuracySource else {
                throw HwnasError("the objective 'accuracy' needs an accuracy source: --accuracy-data FILE (DyNAS-T results CSVs with '\(space.metricColumn)') or --predictor FILE")
            }
            let loaded = try AccuracySource.load(space: space, accuracyData: accuracyData, predictor: predictor,
                                                 predictorsDir: predictorsDir, say: say)
            plan.accuracy = loaded.objective
            plan.predictorPath = loaded.path
            plan.accuracyFixedGenes = loaded.fixedGenes
            for (gene, value) in loaded.fixedGenes.sorted(by: { $0.key < $1.key }) {
                say("the accuracy data hold \(gene) = \(value) only: the search keeps \(gene) at \(value)")
            }
        } else if hasAccuracySource {
            warn("accuracy is neither an objective nor bounded: --accuracy-data/--predictor ignored")
        }
        return plan
    }
}
