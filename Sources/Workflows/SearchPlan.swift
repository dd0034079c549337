import CostModel
import Datasets
import Foundation
import Optimization
import Reports
import Search
import Support
import SuperNet

/// What `search` (and `compare`, when it searches on the fly) does for each device: the same
/// objectives, constraints, accuracy source and NSGA-II settings, with the device's own table.
public struct SearchPlan {
    public var space: any SearchSpace
    public var specs: [ObjectiveSpec]
    public var constraints: [SearchConstraint]
    /// The accuracy source, when there is one (a predictor).
    public var accuracy: AccuracyObjective?
    public var predictorPath: String?
    /// Genes the accuracy data hold at one value (OFA's resolution, 224): the search keeps them there.
    public var accuracyFixedGenes: [String: Int]
    public var settings: NSGA2Settings
    public var reference: [Double]?
    public var algorithm: SearchAlgorithm
    /// The measured accuracy of a checkpoint, when it is the accuracy source.
    public var measured: MeasuredAccuracy?

    /// The search for one device, its table found in the catalogue; errors name what is missing
    /// (a table, an accuracy source).
    public func search(device: String, catalog: DeviceCatalog, warn: (String) -> Void) throws -> DeviceSearch {
        let tablePath = try catalog.tablePath(device: device, space: space.name)
        return try search(device: device, table: try CostTable.read(from: URL(fileURLWithPath: tablePath)),
                          tablePath: tablePath, warn: warn)
    }

    /// The search for one device with its table already read.
    public func search(device: String, table: CostTable, tablePath: String, warn: (String) -> Void) throws -> DeviceSearch {
        if let warning = table.unvalidatedWarning { warn(warning) }

        var restrictions: [String: [Int]] = accuracyFixedGenes.mapValues { [$0] }
        if let profiled = table.settings.resolutions, let gene = space.resolutionGene {
            let allowed = (restrictions[gene.name] ?? gene.choices).filter(profiled.contains)
            guard !allowed.isEmpty else {
                throw HwnasError("\(tablePath) was profiled at \(profiled.map(String.init).joined(separator: ",")) px, but the accuracy data are at \(restrictions[gene.name]!.map(String.init).joined(separator: ",")) px: profile \(device) at that resolution")
            }
            restrictions[gene.name] = allowed
        }
        let latency = try LatencyObjective(table: table, space: space, tablePath: tablePath, resolutions: space.resolutionGene.flatMap { restrictions[$0.name] })
        // Objectives and the measures of constraints; macs and params take the sense asked for.
        func source(_ spec: ObjectiveSpec) throws -> any Objective {
            switch spec.kind {
            case .latency: return latency
            case .macs:
                var macs = MACsObjective(space: space, settings: table.settings.spaceSettings)
                macs.sense = spec.sense
                return macs
            case .params:
                var params = ParamsObjective(space: space)
                params.sense = spec.sense
                return params
            case .accuracy:
                guard let accuracy else {
                    throw HwnasError("the objective 'accuracy' needs an accuracy source: --accuracy-data FILE (DyNAS-T results CSVs with '\(space.metricColumn)') or --predictor FILE")
                }
                return accuracy
            }
        }
        let objectives = try specs.map(source)
        let measures = try constraints.map { try source(ObjectiveSpec(kind: $0.objective)) }
        let problem = try SpaceProblem(space: space, objectives: objectives, constraints: constraints,
                                       measures: measures, restrictions: restrictions)
        var search = DeviceSearch(problem: problem, device: device, settings: settings, reference: reference,
                                  latency: latency, accuracy: accuracy,
                                  provenance: ParetoSet.Provenance(
                                      table: tablePath, predictor: predictorPath,
                                      tableSha256: SHA256.hex(ofFile: URL(fileURLWithPath: tablePath)),
                                      predictorSha256: predictorPath.flatMap { SHA256.hex(ofFile: URL(fileURLWithPath: $0)) }),
                                  restrictedGenes: restrictions)
        search.algorithm = algorithm
        measured?.record(into: &search.provenance)
        return search
    }
}

extension SearchPlan {
    /// The plan for every device: objectives, bounds, accuracy source and settings checked once;
    /// the accuracy source is loaded (a predictor fitted, reused or read) here, before any search.
    public init(_ request: SearchRequest, reporter: Reporter) throws {
        if !request.accuracyData.isEmpty, request.predictor != nil {
            throw HwnasError("give --accuracy-data or --predictor, not both")
        }
        let space = request.space
        let specs = request.objectives
        if let reference = request.reference, reference.count != specs.count {
            throw HwnasError("--reference has \(reference.count) value\(reference.count == 1 ? "" : "s"); --objectives \(specs.map(\.description).joined(separator: ",")) has \(specs.count) objectives")
        }
        let needsAccuracy = specs.contains { $0.kind == .accuracy } || request.constraints.contains { $0.objective == .accuracy }
        self.init(space: space, specs: specs, constraints: request.constraints, accuracy: nil, predictorPath: nil,
                  accuracyFixedGenes: [:], settings: request.settings, reference: request.reference,
                  algorithm: request.algorithm)
        let sources = [!request.accuracyData.isEmpty, request.predictor != nil, request.checkpoint != nil].filter { $0 }.count
        if sources > 1 {
            throw HwnasError("give one accuracy source: --checkpoint, --accuracy-data or --predictor")
        }
        if let checkpoint = request.checkpoint {
            guard let elastic = space as? MiniLML6Space else {
                throw HwnasError("--checkpoint: measured accuracy is for minilm-l6 sub-networks; \(space.name) has no fine-tuned checkpoint")
            }
            guard let split = SST2Task.Split(rawValue: request.split), split != .train else {
                throw HwnasError("--split \(request.split): val (searching; the default) or dev (reporting)")
            }
            guard needsAccuracy else {
                throw HwnasError("--checkpoint measures accuracy, but accuracy is neither an objective nor bounded (--objectives \(specs.map(\.description).joined(separator: ",")))")
            }
            let measurer = try MeasuredAccuracy(checkpoint: URL(fileURLWithPath: checkpoint), task: request.task, split: split,
                                                data: URL(fileURLWithPath: request.data), space: elastic)
            measured = measurer
            accuracy = measurer.objective()
            reporter.say("accuracy: measured on \(request.task) \(measurer.splitDescription) from \(checkpoint) (model.safetensors sha256 \(measurer.cache.header.modelSha256.prefix(12))...), cached in \(measurer.cache.url.relativePath) (\(measurer.cache.count) there)")
        } else if needsAccuracy {
            guard request.hasAccuracySource else {
                throw HwnasError("the objective 'accuracy' needs an accuracy source: --accuracy-data FILE (DyNAS-T results CSVs with '\(space.metricColumn)') or --predictor FILE")
            }
            let loaded = try AccuracySource.load(space: space, accuracyData: request.accuracyData, predictor: request.predictor,
                                                 predictorsDir: request.predictorsDir, note: reporter.note)
            accuracy = loaded.objective
            predictorPath = loaded.path
            accuracyFixedGenes = loaded.fixedGenes
            for (gene, value) in loaded.fixedGenes.sorted(by: { $0.key < $1.key }) {
                reporter.say("the accuracy data hold \(gene) = \(value) only: the search keeps \(gene) at \(value)")
            }
        } else if request.hasAccuracySource {
            reporter.warn("accuracy is neither an objective nor bounded: --accuracy-data/--predictor ignored")
        }
    }
}
