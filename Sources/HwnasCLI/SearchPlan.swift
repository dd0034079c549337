import CostModel
import Foundation
import Reports
import Search
import Support
import SuperNet

/// What `search` (and `compare`, when it searches on the fly) does for each device: the same
/// objectives, constraints, accuracy source and NSGA-II settings, with the device's own table.
struct SearchPlan {
    var space: any SearchSpace
    var kinds: [ObjectiveSpec]
    var constraints: [SearchConstraint]
    /// The accuracy source, when there is one (a predictor).
    var accuracy: AccuracyObjective?
    var predictorPath: String?
    /// Genes the accuracy data hold at one value (OFA's resolution, 224): the search keeps them there.
    var accuracyFixedGenes: [String: Int]
    var settings: NSGA2Settings
    var reference: [Double]?
    var algorithm: SearchAlgorithm

    /// The search for one device; errors name what is missing (a table, an accuracy source).
    func search(device: String, catalog: DeviceCatalog, warn: (String) -> Void) throws -> DeviceSearch {
        let tablePath = try catalog.tablePath(device: device, space: space.name)
        let table = try CostTable.read(from: URL(fileURLWithPath: tablePath))
        if let warning = table.unvalidatedWarning { warn(warning) }

        var restrictions: [String: [Int]] = accuracyFixedGenes.mapValues { [$0] }
        if let profiled = table.settings.resolutions, let gene = space.gene(named: "r") {
            let allowed = (restrictions["r"] ?? gene.choices).filter(profiled.contains)
            guard !allowed.isEmpty else {
                throw HwnasError("\(tablePath) was profiled at \(profiled.map(String.init).joined(separator: ",")) px, but the accuracy data are at \(restrictions["r"]!.map(String.init).joined(separator: ",")) px: profile \(device) at that resolution")
            }
            restrictions["r"] = allowed
        }
        let latency = try LatencyObjective(table: table, space: space, tablePath: tablePath, resolutions: restrictions["r"])
        let macs = MACsObjective(space: space, settings: table.settings.spaceSettings)
        let params = ParamsObjective(space: space)
        func source(_ kind: ObjectiveKind) throws -> any Objective {
            switch kind {
            case .latency: return latency
            case .macs: return macs
            case .params: return params
            case .accuracy:
                guard let accuracy else {
                    throw HwnasError("the objective 'accuracy' needs an accuracy source: --accuracy-data FILE (DyNAS-T results CSVs with '\(space.metricColumn)') or --predictor FILE")
                }
                return accuracy
            }
        }
        let objectives = try kinds.map { spec -> any Objective in
            switch spec.kind {
            case .macs:
                var objective = macs
                objective.sense = spec.sense
                return objective
            case .params:
                var objective = params
                objective.sense = spec.sense
                return objective
            default:
                return try source(spec.kind)
            }
        }
        let measures = try constraints.map { try source($0.objective) }
        let problem = try SpaceProblem(space: space, objectives: objectives, constraints: constraints,
                                       measures: measures, restrictions: restrictions)
        var search = DeviceSearch(problem: problem, device: device, settings: settings, reference: reference,
                                  latency: latency, accuracy: accuracy,
                                  provenance: ParetoSet.Provenance(table: tablePath, predictor: predictorPath),
                                  restrictedGenes: restrictions)
        search.algorithm = algorithm
        return search
    }
}
