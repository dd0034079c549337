import Foundation
import Predictors
import Search
import Support
import SuperNet

/// The accuracy objective of a search: a saved predictor (`--predictor`), or one fitted on
/// DyNAS-T results (`--accuracy-data`), reused when a saved fit of the same data exists.
public enum AccuracySource {
    public struct Loaded {
        public var objective: AccuracyObjective
        public var path: String
        /// Single-slot genes the training data hold at one value (OFA's `r` = 224).
        public var fixedGenes: [String: Int]
    }

    /// `note` hears whether a predictor was fitted or a saved one reused.
    public static func load(space: any SearchSpace, accuracyData: [String], predictor path: String?, predictorsDir: String,
                            note: (String) -> Void) throws -> Loaded {
        let predictor: AccuracyPredictor
        let location: URL
        if let path {
            location = URL(fileURLWithPath: path)
            predictor = try AccuracyPredictor.read(from: location)
            guard predictor.space == space.name else {
                throw HwnasError("\(path) is an accuracy predictor of '\(predictor.space)', not '\(space.name)'")
            }
        } else {
            location = PredictorStore.defaultURL(space: space.name, folder: URL(fileURLWithPath: predictorsDir))
            predictor = try PredictorStore.fitOrReuse(
                space: space, accuracyFiles: accuracyData.map { URL(fileURLWithPath: $0) }, at: location,
                note: note).predictor
        }
        var fixed: [String: Int] = [:]
        for (gene, values) in predictor.constantGenes where values.count == 1 && (space.gene(named: gene)?.choices.count ?? 0) > 1 {
            fixed[gene] = values[0]
        }
        let objective = AccuracyObjective(metric: predictor.metric, provenance: location.relativePath) { subnet in
            predictor.predict(subnet)
        }
        return Loaded(objective: objective, path: location.relativePath, fixedGenes: fixed)
    }
}
