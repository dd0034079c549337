import Foundation
import Support
import SuperNet

/// Where predictors live (`predictors/<space>.predictor.json`) and the "fit or reuse" step that
/// `search` and `evaluate` take: a saved predictor of the same data is reused, anything else is
/// fitted again and saved.
public enum PredictorStore {
    /// What `fitOrReuse` did.
    public enum Outcome: Equatable, Sendable {
        case reused
        /// Fitted, and why: no saved predictor, another data hash, an unreadable file.
        case fitted(reason: String)
    }

    /// `<folder>/<space>.predictor.json`.
    public static func defaultURL(space: String, folder: URL = URL(fileURLWithPath: "predictors")) -> URL {
        folder.appendingPathComponent("\(space).predictor.json")
    }

    /// Reuses the predictor saved at `url` when it was fitted on the same data (same
    /// `AccuracyData.hash`) with the same settings, else fits one and saves it there. `note` hears one
    /// line saying which happened (the command line prints it on stderr).
    public static func fitOrReuse(space: any SearchSpace, accuracyFiles: [URL], at url: URL,
                                  settings: PredictorSettings = PredictorSettings(),
                                  note: (String) -> Void = { _ in }) throws -> (predictor: AccuracyPredictor, outcome: Outcome) {
        let data = try AccuracyData(space: space, files: accuracyFiles)
        let hash = data.hash
        let reason: String
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                let saved = try AccuracyPredictor.read(from: url)
                if saved.space == space.name, saved.dataHash == hash, saved.settings == settings {
                    note("reusing the accuracy predictor \(url.relativePath) (same data, \(hash)): \(saved.kind.rawValue), CV MAE \(String(format: "%.4f", saved.crossValidation.metrics.mae))")
                    return (saved, .reused)
                }
                reason = saved.space != space.name ? "\(url.relativePath) is a predictor of '\(saved.space)'"
                    : saved.dataHash != hash ? "\(url.relativePath) was fitted on other data (\(saved.dataHash), now \(hash))"
                    : "\(url.relativePath) was fitted with other settings (folds, seed or grids)"
            } catch let error as HwnasError {
                reason = "\(error.message)"
            }
        } else {
            reason = "no saved predictor at \(url.relativePath)"
        }
        note("fitting an accuracy predictor: \(reason)")
        let predictor = try AccuracyPredictor.fit(data: data, settings: settings)
        try predictor.write(to: url)
        note(String(format: "fitted %@ in %.1f s (CV MAE %.4f, Kendall tau %.3f); saved %@",
                     predictor.kind.rawValue, predictor.crossValidation.fitSeconds, predictor.crossValidation.metrics.mae,
                     predictor.crossValidation.metrics.kendallTau, url.relativePath))
        return (predictor, .fitted(reason: reason))
    }
}
