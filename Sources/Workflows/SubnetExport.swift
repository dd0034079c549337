import Datasets
import Foundation
import Onnx
import Runtime
import Support
import SuperNet
import Training

/// `hwnas export`: one sub-network as a file a deployment runtime loads, with config.json
/// beside it. Weights are the native runtime's seeded ones (random: for latency and
/// integration tests, not predictions) or a fine-tuned BERT checkpoint's slice.
public struct SubnetExport {
    public enum Format: String, CaseIterable, Sendable {
        case onnx
        case safetensors

        public var fileName: String { "model.\(rawValue)" }
    }

    public var space: any SearchSpace
    public var subnet: Subnet
    public var format: Format
    /// A fine-tuned run folder (model.safetensors, config.json); nil: seeded weights.
    public var checkpoint: URL?
    /// The seed of seeded weights (the native runtime's `RunnableSubnet` seed).
    public var seed: UInt64
    /// Also write ONNX's test data: an input and the output hwnas computes for it.
    public var sample: Bool
    /// Replace files already in the folder.
    public var force: Bool

    /// Sequences or images in the sample.
    static let sampleBatch = 2

    public init(space: any SearchSpace, subnet: Subnet, format: Format = .onnx, checkpoint: URL? = nil, seed: UInt64 = 0,
                sample: Bool = false, force: Bool = false) {
        self.space = space
        self.subnet = subnet
        self.format = format
        self.checkpoint = checkpoint
        self.seed = seed
        self.sample = sample
        self.force = force
    }

    /// The note config.json carries for seeded weights.
    public static let seededNote = "random weights drawn from the seed, as hwnas's native runtime measures with: the model computes what the measured one computes, but predicts nothing"

    /// Writes the model, the sample (if asked) and config.json (last) into `folder`; returns
    /// the record written. Refuses files already there unless `force`, before computing.
    @discardableResult
    public func write(to folder: URL) throws -> ExportRecord {
        let subnet = try space.validated(self.subnet)
        let blocks = space.blocks(of: subnet)
        // Every file an export may leave: with --force the old ones go, so that no model,
        // config or sample of an earlier export stays beside the new ones.
        let owned = Format.allCases.map(\.fileName) + [ExportRecord.fileName, OnnxTestDataSet.folderName(0)]
        for name in owned {
            try OverwriteGuard.check(folder.appendingPathComponent(name), holds: "an exported sub-network", force: force)
        }
        try AtomicFile.checkWritable(folder: folder)

        let parameters: [BlockParameters]
        let weights: ExportRecord.Weights
        var native: RunnableSubnet?
        var slice: BertCheckpointSlice?
        if let checkpoint {
            let cut = try BertCheckpointSlice(folder: checkpoint)
            parameters = try cut.parameters(for: blocks, space: space)
            slice = cut
            weights = ExportRecord.Weights(
                source: "checkpoint", checkpoint: checkpoint.path, checkpointSha256: cut.sha256, seed: nil,
                note: "fine-tuned weights of \(checkpoint.lastPathComponent), cut to this sub-network: the first \(blocks.filter { $0.kind == "mha" }.count) layers, each layer's first heads (rows of Q, K, V; columns of the output projection) and first intermediate units")
        } else {
            let network = try RunnableSubnet(space: space, subnet: subnet, options: ExecutionOptions(batch: Self.sampleBatch), seed: seed)
            parameters = network.blocks.map { $0.blockParameters() }
            native = network
            weights = ExportRecord.Weights(source: "seeded", checkpoint: nil, checkpointSha256: nil, seed: seed, note: Self.seededNote)
        }
        for name in owned where FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let named = Array(zip(blocks, parameters)).map { (block: $0.0, parameters: $0.1) }
        let text = blocks.first.map { if case .embedding = $0 { true } else { false } } ?? false
        var ports: (inputs: [OnnxPort], outputs: [OnnxPort])?
        let subnetJSON = space.jsonString(subnet)
        switch format {
        case .onnx:
            let model = try OnnxModel.network(
                name: space.name, blocks: named, batch: .symbolic("batch"), sequence: text ? .symbolic("sequence") : nil,
                doc: "hwnas \(space.name) sub-network \(subnetJSON); \(weights.source) weights",
                metadata: ["hwnas.space": space.name, "hwnas.subnet": subnetJSON, "hwnas.weights": weights.source]
                    .merging(weights.checkpointSha256.map { ["hwnas.checkpointSha256": $0] } ?? [:]) { a, _ in a })
            try model.write(to: folder.appendingPathComponent(format.fileName))
            ports = (model.inputs, model.outputs)
        case .safetensors:
            try SafeTensors.write(try ExportedTensors.tensors(named), metadata: [
                "format": "pt", "hwnas.space": space.name, "hwnas.subnet": subnetJSON, "hwnas.weights": weights.source,
            ], to: folder.appendingPathComponent(format.fileName))
        }

        if sample {
            let data: OnnxTestDataSet
            if let native {
                native.run()
                data = OnnxTestDataSet(inputs: native.onnxInputs(), outputs: [native.onnxOutput()])
            } else {
                data = try Self.checkpointSample(folder: slice!.folder, blocks: blocks, seed: seed)
            }
            try data.write(into: folder)
        }

        let record = ExportRecord(
            schemaVersion: ExportRecord.schemaVersion, hwnasVersion: HwnasVersion.current, createdAt: Timestamp.now(),
            space: space.name, subnet: SubnetJSON(space: space, subnet: subnet), format: format.rawValue, file: format.fileName,
            weights: weights, opset: format == .onnx ? OnnxModel.opset : nil, irVersion: format == .onnx ? Int(OnnxModel.irVersion) : nil,
            inputs: ports?.inputs.map(ExportRecord.Port.init), outputs: ports?.outputs.map(ExportRecord.Port.init),
            sample: sample ? OnnxTestDataSet.folderName(0) : nil, macs: space.macs(of: subnet), params: space.params(of: subnet),
            blocks: blocks.enumerated().map { ExportedBlock(index: $0.offset, block: $0.element) })
        try AtomicFile.write(try JSONFormat.encode(record), to: folder.appendingPathComponent(ExportRecord.fileName))
        return record
    }

    /// Two sequences of seeded token ids through the fine-tuned classifier run as the
    /// sub-network (training's forward, not the ONNX builders): the first full length, the
    /// second padded after half its tokens.
    static func checkpointSample(folder: URL, blocks: [Block], seed: UInt64) throws -> OnnxTestDataSet {
        let model = try FineTunedCheckpoint(folder: folder, batchSize: sampleBatch)
        let heads = blocks.compactMap { if case .attention(let b) = $0 { b.heads } else { nil } }
        let units = blocks.compactMap { if case .feedForward(let b) = $0 { b.intermediate } else { nil } }
        try model.classifier.activate(layers: heads.count, heads: heads, intermediate: units)
        let length = model.maxLength
        var generator = SeededGenerator(seed: seed ^ 0x5A4D_91E)
        let vocabulary = UInt64(model.classifier.configuration.vocabularySize)
        var ids: [Int32] = [], mask: [Int32] = []
        for row in 0..<sampleBatch {
            let used = row == 0 ? length : max(1, length / 2)
            for position in 0..<length {
                ids.append(position < used ? Int32(generator.next() % vocabulary) : 0)
                mask.append(position < used ? 1 : 0)
            }
        }
        let batch = try TokenBatch(batch: sampleBatch, length: length, ids: ids, attentionMask: mask)
        let logits = Array(try model.classifier.forward(batch, training: false))
        let shape = [sampleBatch, length]
        return OnnxTestDataSet(
            inputs: [
                try NamedTensor(name: OnnxModel.Names.inputIDs, shape: shape, elements: .int64(ids.map(Int64.init))),
                try NamedTensor(name: OnnxModel.Names.attentionMask, shape: shape, elements: .int64(mask.map(Int64.init))),
                try NamedTensor(name: OnnxModel.Names.tokenTypeIDs, shape: shape, elements: .int64(Array(repeating: 0, count: ids.count))),
            ],
            outputs: [try NamedTensor(name: OnnxModel.Names.logits, shape: [sampleBatch, logits.count / sampleBatch], elements: .float(logits))])
    }
}
