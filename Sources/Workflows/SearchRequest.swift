import Foundation
import Optimization
import Search
import SuperNet

/// What a search over a space is asked to do, before anything is read: the objectives, bounds,
/// accuracy source and optimiser settings that `search` and `compare` take from their options.
/// `SearchPlan(_:reporter:)` checks it and loads the accuracy source once for every device.
public struct SearchRequest {
    public var space: any SearchSpace
    public var objectives: [ObjectiveSpec]
    public var constraints: [SearchConstraint]
    /// DyNAS-T results CSVs: a predictor is fitted on them, or the saved fit of the same data reused.
    public var accuracyData: [String]
    /// A saved predictor file, the other accuracy source.
    public var predictor: String?
    /// Where fitted predictors are saved and looked up.
    public var predictorsDir: String
    public var settings: NSGA2Settings
    /// The hypervolume reference point; nil: each set's own.
    public var reference: [Double]?
    public var algorithm: SearchAlgorithm
    /// A fine-tuned checkpoint whose accuracy, measured on `split` of `task` (data in
    /// `data`), is the accuracy objective.
    public var checkpoint: String?
    public var task: String
    public var split: String
    public var data: String

    public init(space: any SearchSpace, objectives: [ObjectiveSpec]? = nil, constraints: [SearchConstraint] = [],
                accuracyData: [String] = [], predictor: String? = nil, predictorsDir: String = "predictors",
                settings: NSGA2Settings, reference: [Double]? = nil, algorithm: SearchAlgorithm = .nsga2,
                checkpoint: String? = nil, task: String = "sst2", split: String = "val", data: String = "data/sst2") {
        self.space = space
        self.checkpoint = checkpoint
        self.task = task
        self.split = split
        self.data = data
        let hasAccuracySource = !accuracyData.isEmpty || predictor != nil || checkpoint != nil
        self.objectives = objectives ?? Self.defaultObjectives(hasAccuracySource: hasAccuracySource)
        self.constraints = constraints
        self.accuracyData = accuracyData
        self.predictor = predictor
        self.predictorsDir = predictorsDir
        self.settings = settings
        self.reference = reference
        self.algorithm = algorithm
    }

    public var hasAccuracySource: Bool { !accuracyData.isEmpty || predictor != nil || checkpoint != nil }

    /// accuracy,latency with an accuracy source, else latency,macs:max (compute per millisecond).
    public static func defaultObjectives(hasAccuracySource: Bool) -> [ObjectiveSpec] {
        hasAccuracySource ? [ObjectiveSpec(kind: .accuracy), ObjectiveSpec(kind: .latency)]
            : [ObjectiveSpec(kind: .latency), ObjectiveSpec(kind: .macs, sense: .maximize)]
    }
}
