import Foundation
import Predictors
import Search

/// A predictor's cross-validation as a person reads it.
struct PredictorSummary {
    var predictor: AccuracyPredictor

    var text: String {
        let cv = predictor.crossValidation
        var lines = [
            "\(predictor.space) accuracy predictor of '\(predictor.metric)': \(cv.rows) rows, \(cv.networks) distinct sub-networks, \(predictor.trainingFiles.count) file\(predictor.trainingFiles.count == 1 ? "" : "s")"
                + (predictor.unmeasuredRows > 0 ? " (\(predictor.unmeasuredRows) unmeasured rows left out)" : ""),
            "grouped \(cv.folds)-fold cross-validation (seed \(cv.seed)), hyper-parameters chosen inside the training folds:",
            "  model               CV MAPE      MAE     RMSE  Kendall tau  Spearman rho  final hyper-parameters",
        ]
        for candidate in cv.candidates {
            let m = candidate.outer
            lines.append("  " + candidate.kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: " %8.4f%%  %7.4f  %7.4f  %11.4f  %12.4f  ", m.mape, m.mae, m.rmse, m.kendallTau, m.spearmanRho)
                + candidate.selected.summary + (candidate.kind == cv.chosen ? "  <- chosen" : ""))
        }
        let m = cv.metrics
        lines.append(String(format: "chosen: %@ (lowest CV MAPE): MAE %.4f, MAPE %.4f%%, RMSE %.4f, max error %.3f, Kendall tau %.4f, Spearman rho %.4f over %d rows",
                            cv.chosen.rawValue, m.mae, m.mape, m.rmse, m.maxError, m.kendallTau, m.spearmanRho, m.n))
        if let zeros = m.zeroTargetsExcluded {
            lines.append("MAPE leaves out \(zeros) row\(zeros == 1 ? "" : "s") whose measured \(predictor.metric) is 0 (no percentage of 0 exists)")
        }
        let constant = constantText
        if !constant.isEmpty {
            lines.append("constant in the data (a search over this predictor holds them fixed): " + constant)
        }
        lines.append(String(format: "fit: %.1f s on %d thread%@ (all candidates' cross-validation and the final fit); predict: %.1f us per sub-network",
                            cv.fitSeconds, cv.threads, cv.threads == 1 ? "" : "s", cv.predictMicroseconds))
        lines.append("data: \(predictor.dataHash) from \(predictor.trainingFiles.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }

    /// `r = 224`, or slot by slot (`ks[3] = 7`) for genes only partly constant.
    var constantText: String {
        let genes = predictor.constantGenes
        var parts: [String] = []
        for gene in predictor.searchSpace.genes {
            if let values = genes[gene.name] {
                parts.append("\(gene.name) = " + (values.count == 1 ? "\(values[0])" : "[\(values.map(String.init).joined(separator: ", "))]"))
            } else {
                for slot in predictor.constantSlots where slot.gene == gene.name {
                    parts.append("\(slot.gene)[\(slot.slot)] = \(slot.value)")
                }
            }
        }
        return parts.joined(separator: ", ")
    }
}
