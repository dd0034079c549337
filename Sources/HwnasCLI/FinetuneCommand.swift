import ArgumentParser
import Datasets
import Foundation
import Hardware
import Reports
import Support
import Workflows

extension InstaTuneSettings.Sampling: ExpressibleByArgument {}

/// `hwnas finetune`: fine-tunes the pre-trained model of a space on a task into a resumable
/// run folder.
struct FinetuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Fine-tune a space's pre-trained model on a task, resumably, into a run folder.",
        discussion: """
            Trains the whole network (the space's largest member) from the pre-trained weights \
            in --model (model.safetensors, vocab.txt, config.json; names with or without the \
            bert. prefix), the classifier initialised from --seed. AdamW (weight decay 0.01, \
            none on biases and LayerNorm weights), 6% linear warm-up then linear decay to 0 over \
            the run's steps, dropout 0.1, the train split shuffled per epoch from the seed, each \
            batch padded to its longest sequence. Dev accuracy every --eval-every steps and at \
            the end.

            --out receives model.safetensors (Hugging Face BertForSequenceClassification names), \
            optimizer.safetensors, state.json, config.json, vocab.txt and run.json, atomically, \
            at every --save-every steps and every evaluation. Interrupted, the same command \
            resumes from the last save and, at the same thread count and --parallel, repeats the \
            loss curve bit for bit; other settings are refused (by name), as is a folder holding \
            other files, unless --force.

            --instatune makes the run an InstaTune run: on every batch the full network and one \
            sampled sub-network of the space (the first layers, heads and intermediate units: \
            slices of the same weights), with loss (CE_super + CE_sub) / 2 + T^2 KL(softmax(\
            z_super/T) detached || softmax(z_sub/T)), T = 5. --sampling uniform draws the \
            sub-networks uniformly over the space's genes; --sampling latency --device D draws \
            them evenly over D's table-predicted latency range (--profiles-dir), or inside \
            --latency-band LOW..HIGH; a band no sub-network meets is refused with D's range. \
            run.json and state.json add the sampler and, per step, CE_super, CE_sub, KD and the \
            sub-network drawn; resuming rebuilds the sampler and checks it draws the same.

            Examples:
              hwnas finetune --space minilm-l6 --task sst2 --steps 300 --eval-every 100 --out runs/ft300
              hwnas finetune --space minilm-l6 --task sst2 --epochs 1 --out data/minilm-l6-sst2/runs/epoch1
              hwnas finetune --space minilm-l6 --task sst2 --steps 1000 --instatune --out runs/it-uniform
              hwnas finetune --space minilm-l6 --task sst2 --steps 1000 --instatune --sampling latency \\
                  --device amd-zen4-t1 --latency-band 2ms..8ms --out runs/it-latency
            """
    )

    @Option(help: "The search space whose pre-trained model is fine-tuned.")
    var space: String

    @Option(help: "The task: sst2.")
    var task: String

    @Option(help: ArgumentHelp("The pre-trained model folder (make setup fetches the default one).", valueName: "folder"),
            completion: .directory)
    var model: String = ModelFolder.defaultPath

    @Option(help: ArgumentHelp("The folder holding train.tsv and dev.tsv.", valueName: "folder"), completion: .directory)
    var data: String = SST2Task.defaultFolder

    @Option(help: "Optimiser steps of the run (the schedule is set for them).")
    var steps: Int?

    @Option(help: "Epochs of the run, when --steps is not given (1 if neither is).")
    var epochs: Int?

    @Option(help: "Sequences per batch.")
    var batch: Int = 32

    @Option(help: "Peak learning rate.")
    var lr: Double = 1e-4

    @Option(name: .customLong("max-length"), help: "Tokens at most per sequence, [CLS] and [SEP] included.")
    var maxLength: Int = 64

    @Option(help: "Threads, each pinned to a core of its own (default: all cores).")
    var threads: Int?

    @Option(help: ArgumentHelp(
        "How a step uses the threads: batch (a shard of the batch per thread, each with single-threaded products) or products (every matrix product split over the threads).",
        valueName: "batch|products"))
    var parallel: FineTuneParallelism = .batch

    @Option(help: "Seed of the classifier's initialisation, the batch order and the dropout masks.")
    var seed: UInt64 = 0

    @Option(name: .customLong("eval-every"), help: "Evaluate on dev every this many steps (0: only at the end).")
    var evalEvery: Int = 500

    @Option(name: .customLong("save-every"), help: "Save a checkpoint every this many steps (0: only at evaluations).")
    var saveEvery: Int = 100

    @Option(help: ArgumentHelp("The run folder.", valueName: "folder"), completion: .directory)
    var out: String

    @Option(name: .customLong("hardware-dir"), help: ArgumentHelp("Where machine descriptors (with the sgemm peak) are.", valueName: "folder"))
    var hardwareDir: String = "hardware"

    @Flag(help: "Train the super-network InstaTune's way: the full network and a sampled sub-network on every batch.")
    var instatune = false

    @Option(help: "How --instatune draws sub-networks: uniform, or latency (evenly over --device's table latency).")
    var sampling: InstaTuneSettings.Sampling?

    @Option(help: ArgumentHelp("The device whose cost table steers --sampling latency (see `hwnas devices`).", valueName: "id"),
            completion: Completions.device)
    var device: String?

    @Option(name: .customLong("latency-band"), help: ArgumentHelp("Draw only sub-networks whose predicted latency is in LOW..HIGH, e.g. 2ms..8ms.", valueName: "band"))
    var latencyBand: String?

    @Option(name: .customLong("profiles-dir"), help: ArgumentHelp("Folder of per-device cost tables (for --sampling latency).", valueName: "folder"))
    var profilesDir = "profiles"

    @Flag(help: "Replace a run folder holding another run.")
    var force = false

    @Option(help: .hidden)
    var dropout: Float = 0.1

    @Flag(help: .hidden)
    var trace = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        if steps != nil && epochs != nil { throw ValidationError("give --steps or --epochs, not both") }
        guard space == "minilm-l6" else { throw ValidationError("--space \(space): fine-tuning knows minilm-l6 only") }
        guard task == "sst2" else { throw ValidationError("--task \(task): fine-tuning knows sst2 only") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1; got \(epochs)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1; got \(threads)") }
        if !instatune && (sampling != nil || device != nil || latencyBand != nil) {
            throw ValidationError("--sampling, --device and --latency-band are InstaTune's: add --instatune")
        }
        if let latencyBand {
            do { _ = try InstaTuneSettings.parseBand(latencyBand) } catch let error as HwnasError { throw ValidationError(error.message) }
        }
        if instatune {
            do { try instaTuneSettings()?.validate() } catch let error as HwnasError { throw ValidationError(error.message) }
        }
    }

    /// The InstaTune settings the flags ask for, nil without --instatune.
    func instaTuneSettings() throws -> InstaTuneSettings? {
        guard instatune else { return nil }
        return InstaTuneSettings(sampling: sampling ?? .uniform, device: device, bandMs: try latencyBand.map(InstaTuneSettings.parseBand))
    }

    func run() throws {
        let train = try SST2Task(folder: URL(fileURLWithPath: data)).examples(.train)
        let totalSteps = steps ?? (epochs ?? 1) * FineTuneRun.batchesPerEpoch(examples: train.count, batchSize: max(1, batch))
        let settings = FineTuneSettings(
            space: space, task: task, steps: totalSteps, epochs: steps == nil ? (epochs ?? 1) : nil, batchSize: batch,
            learningRate: lr, dropout: dropout, maxLength: maxLength, seed: seed, evalEvery: evalEvery, saveEvery: saveEvery,
            instaTune: try instaTuneSettings())
        let topology = try Topology.current()
        let cores = topology.corePus.count
        let machine = (try? CPUDescription.current()).map(MachineID.derive(from:)) ?? "unknown"
        let descriptor = URL(fileURLWithPath: hardwareDir).appendingPathComponent("\(machine).json")
        let peak = (try? MachineDescriptor.read(from: descriptor))?.calibration?.sgemmGflopsAllThreads
        let run = FineTuneRun(
            settings: settings, model: ModelFolder(path: model), data: URL(fileURLWithPath: data),
            output: URL(fileURLWithPath: out), threads: threads ?? cores, parallelism: parallel, machine: machine, peakGflops: peak, force: force)
        run.trace = trace
        run.catalog = DeviceCatalog(hardwareDir: URL(fileURLWithPath: hardwareDir), profilesDir: URL(fileURLWithPath: profilesDir))
        let line = ProgressLine(enabled: !quiet)
        let state = try run.run { event in
            switch event {
            case let .started(from, total, resumed):
                if resumed && !quiet { Self.note(from >= total ? "\(out): the run is complete (\(total) steps)" : "resuming \(out) at step \(from) of \(total)") }
                if let instaTune = settings.instaTune, !quiet { Self.note("InstaTune: sampling \(instaTune.summary), T = \(instaTune.temperature)") }
            case let .step(p):
                line.update(String(format: "step %d/%d  loss %.4f  %.1f samples/s", p.step, p.totalSteps, p.loss, p.samplesPerSecond) + "  ETA " + Self.duration(p.etaSeconds))
            case let .evaluated(e):
                line.finish()
                Self.say(String(format: "step %d: dev accuracy %.2f%%, dev loss %.4f", e.step, e.devAccuracy, e.loss))
            case .saved:
                break
            }
        }
        line.finish()
        if let last = state.evaluations.last, state.step == settings.steps {
            let seconds = max(state.trainingSeconds, 1e-9)
            Self.say(String(format: "done: %d steps, dev accuracy %.2f%%, %.1f samples/s, %.1f training GFLOP/s", state.step, last.devAccuracy, Double(state.trainingSamples) / seconds, state.trainingFlops / seconds / 1e9))
        }
    }

    /// A line on stdout at once (a log shows each evaluation as it happens).
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data("\(text)\n".utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s % 3600 / 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

extension FineTuneParallelism: ExpressibleByArgument {}
