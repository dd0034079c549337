import ArgumentParser
import Foundation
import Support
import SuperNet
import Workflows

extension SubnetExport.Format: ExpressibleByArgument {}

/// `hwnas export`: a sub-network as a file a deployment runtime loads.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a sub-network as ONNX (or safetensors) with config.json, for deployment.",
        discussion: """
            Writes OUT/model.onnx (or OUT/model.safetensors) and OUT/config.json: the \
            sub-network, its blocks' sizes (heads and intermediate units per layer; kernel, \
            expansion and stride per block), where its weights come from, and for ONNX its \
            inputs and outputs.

            ONNX: opset 17, weights as initialisers, batch norm folded into the convolutions, the \
            operators deployment exporters write (MatMul/Gemm, LayerNormalization, GELU in its \
            erf form, grouped Conv for depthwise, HardSwish, HardSigmoid, Softmax, \
            GlobalAveragePool). Transformer models take input_ids, attention_mask and \
            token_type_ids (int64 [batch, sequence]) and give logits [batch, classes]; image \
            models take input [batch, 3, r, r] (NCHW) and give logits [batch, 1000]; batch and \
            sequence are dynamic. safetensors: the same weights under Hugging Face's (BERT, ViT) \
            or Once-for-All's (MobileNetV3) names, PyTorch layouts.

            Weights: without --checkpoint, random ones drawn from --seed, the weights hwnas's \
            native runtime measures with (config.json says so: the model predicts nothing). With \
            --checkpoint, a `hwnas finetune` run folder, the fine-tuned weights cut to the \
            sub-network as training runs it (the first layers, the first heads and intermediate \
            units of each); config.json records the checkpoint's SHA-256.

            --sample adds OUT/test_data_set_0/ (ONNX's test-data layout: input_<k>.pb, \
            output_0.pb): two inputs and the output hwnas computes for them itself (its kernels \
            for seeded weights, the fine-tuning forward for a checkpoint; the second sequence \
            half padding), to check a runtime against.

            Files already in OUT are refused unless --force.

            Examples:
              hwnas export --space ofa-mbv3-w1.0 --subnet "$(head -1 subnets.jsonl)" --out out/ofa
              hwnas export --space minilm-l6 --subnet "$S" --checkpoint runs/ft300 --sample --out out/minilm
              hwnas export --space vit-b16 --subnet "$S" --format safetensors --out out/vit
            """
    )

    @Option(help: "The search space (see `hwnas spaces`).", completion: Completions.space)
    var space: String

    @Option(help: ArgumentHelp("The sub-network: hwnas's JSON form or DyNAS-T's dict.", valueName: "json"))
    var subnet: String

    @Option(help: ArgumentHelp("A fine-tuned run folder (hwnas finetune --out) whose weights to export.", valueName: "folder"),
            completion: .directory)
    var checkpoint: String?

    @Option(help: "onnx or safetensors.")
    var format: SubnetExport.Format = .onnx

    @Option(help: ArgumentHelp("The output folder.", valueName: "folder"), completion: .directory)
    var out: String

    @Option(help: "Seed of the random weights (without --checkpoint).")
    var seed: UInt64 = 0

    @Flag(help: "Also write test_data_set_0/: inputs and hwnas's own outputs for them.")
    var sample = false

    @Flag(help: "Replace files already in --out.")
    var force = false

    func run() throws {
        let space = try SearchSpaces.named(space)
        let parsed: Subnet
        do {
            parsed = try space.subnet(parsing: subnet)
        } catch let error as HwnasError {
            throw HwnasError("--subnet: \(error.message)")
        }
        let export = SubnetExport(space: space, subnet: parsed, format: format, checkpoint: checkpoint.map { URL(fileURLWithPath: $0) },
                                  seed: seed, sample: sample, force: force)
        let folder = URL(fileURLWithPath: out)
        let record = try export.write(to: folder)
        Self.summarise(record, folder: folder)
    }

    /// What was written, on stdout; for seeded weights a note on stderr.
    static func summarise(_ record: ExportRecord, folder: URL) {
        let model = folder.appendingPathComponent(record.file)
        let size = (try? FileManager.default.attributesOfItem(atPath: model.path)[.size] as? Int).flatMap { $0 } ?? 0
        var parts = ["\(model.relativePath) (\(String(format: "%.1f", Double(size) / 1e6)) MB)"]
        if let sample = record.sample { parts.append(folder.appendingPathComponent(sample).relativePath + "/") }
        parts.append(folder.appendingPathComponent(ExportRecord.fileName).relativePath)
        print("wrote " + parts.joined(separator: ", "))
        let weights = record.weights.source == "checkpoint"
            ? "fine-tuned weights of \(record.weights.checkpoint ?? "?") (sha256 \(record.weights.checkpointSha256?.prefix(12) ?? "?")...)"
            : "random weights from seed \(record.weights.seed ?? 0)"
        print("\(record.space) sub-network, \(record.blocks.count) blocks, \(record.params) parameters, \(record.macs) MACs; \(weights)")
        if record.weights.source != "checkpoint" {
            FileHandle.standardError.write(Data("note: \(record.weights.note)\n".utf8))
        }
    }
}
