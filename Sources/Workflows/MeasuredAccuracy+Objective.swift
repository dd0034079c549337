import Foundation
import Search
import Support
import SuperNet

extension MeasuredAccuracy {
    /// The measured accuracy as a search objective. A search cannot stop on an error, so the
    /// first one is kept (`failure`) and the sub-network scores NaN; the caller throws it after.
    public func objective() -> AccuracyObjective {
        AccuracyObjective(
            metric: space.metricColumn, provenance: "measured on \(task) \(split.rawValue) from \(folder.relativePath)",
            isMeasured: true, label: "Measured \(space.metricColumn) (\(split.rawValue))"
        ) { [self] subnet in
            do {
                return try measure(subnet).accuracy
            } catch {
                keep(error)
                return .nan
            }
        }
    }

    /// The seconds one measurement takes, from the cache's record of `subnet` (measuring it now
    /// when it is not there): what the budget of a search is estimated from.
    public func secondsPerEvaluation(_ subnet: Subnet) throws -> Double {
        try measure(subnet).seconds
    }

    /// The provenance fields a Pareto set records for this source.
    public func record(into provenance: inout ParetoSet.Provenance, source: String = "measured") {
        provenance.accuracySource = source
        provenance.checkpoint = folder.relativePath
        provenance.checkpointSha256 = cache.header.modelSha256
        provenance.task = task
        provenance.split = split.rawValue
        provenance.accuracyCache = cache.url.relativePath
    }
}
