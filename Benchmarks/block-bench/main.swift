// Measures the blocks of the search spaces against the machine's sgemm peak and triad
// bandwidth, both measured in the same run (the shared host's peak drifts by tens of percent
// over an hour, so a ratio to a peak measured at another time would mislead).
//
// Writes bench/results/kernels.json and bench/results/kernels.md. Run through `make bench`.
import Foundation
import Hardware
import Profiler
import Runtime
import Support
import SuperNet

struct BlockResult: Codable {
    var key: String
    var kind: String
    var medianMs: Double
    var p10Ms: Double
    var p90Ms: Double
    var cv: Double
    var n: Int
    var gflops: Double?
    var percentOfPeak: Double?
    var gbs: Double?
}

struct ThreadResult: Codable {
    var threads: Int
    var pus: [Int]
    var peakKey: String
    var peakGflops: Double
    var triadGBs: Double
    var blocks: [BlockResult]
}

struct Checks: Codable {
    var ffnKey: String
    var ffnMs: Double
    var ffnPercentOfPeak: Double
    var ffnTargetPercent: Double
    var onnxRuntimeFFNMs: Double
    var mhaKey: String
    var mhaPercentOfPeak: Double
    var mhaTargetPercent: Double
    var depthwiseKey: String
    var depthwiseMs: Double
    var depthwiseGBs: Double
    var depthwisePercentOfTriad: Double
    var ffnMet: Bool
    var ffnFasterThanOnnxRuntime: Bool
    var mhaMet: Bool
}

struct Report: Codable {
    var schemaVersion = 1
    var machine: String
    var buildTarget: String
    var blas: String
    var budget: String
    var createdAt: String
    var results: [ThreadResult]
    var checks: Checks
}

/// The depthwise convolution of an MBConv block alone, on its expanded input.
func depthwiseItem(_ block: MBConvBlock) -> ProfileWorkItem {
    let inputs = block.resolution * block.resolution * block.mid
    let outputs = block.outResolution * block.outResolution * block.mid
    let weights = block.kernel * block.kernel * block.mid + block.mid
    let key = "depthwise-in:\(block.resolution)x\(block.resolution)x\(block.mid)-kernel:\(block.kernel)-stride:\(block.stride)"
    return ProfileWorkItem(key: key, flops: 2 * Double(block.kernel * block.kernel * outputs),
                           bytes: 4 * Double(inputs + outputs + weights)) {
        let dw = DepthwiseConvolution(channels: block.mid, kernelSize: block.kernel, stride: block.stride,
                                      activation: Activation(block.activation), seed: 3)
        let x = Tensor(shape: [1, block.resolution, block.resolution, block.mid], seed: 4, scale: 1)
        let y = Tensor(shape: [1, block.outResolution, block.outResolution, block.mid])
        return { dw(x, y) }
    }
}

import Kernels

let arguments = CommandLine.arguments
do {
    if let mode = try PeerMode(arguments: arguments) {
        try mode.run()
        exit(0)
    }
} catch {
    FileHandle.standardError.write(Data("block-bench: \(error)\n".utf8))
    exit(1)
}
let quick = arguments.contains("--quick")
let budget: MeasurementBudget = quick ? .quick : .standard
let resultsDir = URL(fileURLWithPath: arguments.first { $0.hasPrefix("--out=") }.map { String($0.dropFirst(6)) } ?? "bench/results")

let topology = try Topology.current()
let cpu = try CPUDescription.current()
try BuildTarget.current.requireRunnable(on: cpu)

// The blocks: every distinct block of bert-base at sequence 128, and per OFA stage at 224 px the
// MBConv configurations with the most and the fewest MACs.
let bert = BertBaseSpace()
var blocks = bert.distinctBlocks(settings: bert.defaultSettings)
let ofa = OFAMobileNetV3Space()
let ofaBlocks = ofa.distinctBlocks(settings: SpaceSettings(resolutions: [224]))
var largestMBConv: MBConvBlock?
for stage in ofa.stages {
    let members = ofaBlocks.compactMap { block -> MBConvBlock? in
        if case .mbconv(let b) = block, b.expands, b.outChannels == stage.width { return b }
        return nil
    }
    let sorted = members.sorted { $0.macs < $1.macs }
    if let smallest = sorted.first, let largest = sorted.last {
        blocks.append(.mbconv(smallest))
        blocks.append(.mbconv(largest))
        if largestMBConv == nil || largest.macs > largestMBConv!.macs { largestMBConv = largest }
    }
}

var results: [ThreadResult] = []
for threads in [1, 2] where threads <= topology.corePus.count {
    let pus = try PinnedDevice.defaultPUs(threads: threads, topology: topology)
    FileHandle.standardError.write(Data("block-bench: \(threads) thread\(threads == 1 ? "" : "s") on PU \(pus), \(budget.rawValue) budget\n".utf8))
    let triad = try Calibrator(topology: topology, budget: .quick).triad(pus: pus)
    let peak = ProfileWorkItem.sgemmReference(order: threads == 1 ? 768 : 1536)
    let options = ExecutionOptions(batch: 1, threads: threads)
    var items = [peak] + blocks.map { ProfileWorkItem(block: $0, runtime: NativeRuntime(), options: options) }
    if threads == 1, let largestMBConv { items.append(depthwiseItem(largestMBConv)) }
    let journalURL = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-block-bench-\(getpid())-\(threads).jsonl")
    defer { try? FileManager.default.removeItem(at: journalURL) }
    let entries = try PinnedDevice.run(pus: pus, topology: topology) { () throws -> [ProfileEntry] in
        let journal = try ProfileJournal(url: journalURL, fingerprint: "bench", restart: true)
        // One chunk: the peak is measured interleaved with every block.
        return try ProfileRunner(budget: budget, events: [], reference: nil, chunkSize: items.count) { done, total, elapsed in
            FileHandle.standardError.write(Data(String(format: "  %d/%d entries, %.0f s\n", done, total, elapsed).utf8))
        }.run(items, journal: journal)
    }
    let peakGflops = entries[0].derived.gflops ?? 0
    let rows = entries.dropFirst().map { entry -> BlockResult in
        let gflops = entry.derived.gflops
        return BlockResult(key: entry.key, kind: String(entry.key.prefix { $0 != "-" }), medianMs: entry.stats.medianMs,
                           p10Ms: entry.stats.p10Ms, p90Ms: entry.stats.p90Ms, cv: entry.stats.cv, n: entry.stats.n,
                           gflops: gflops, percentOfPeak: gflops.map { $0 / peakGflops * 100 }, gbs: entry.derived.gbs)
    }
    results.append(ThreadResult(threads: threads, pus: pus, peakKey: entries[0].key, peakGflops: peakGflops,
                                triadGBs: triad.median, blocks: Array(rows)))
}

let one = results[0]
func row(_ key: String) -> BlockResult { one.blocks.first { $0.key == key }! }
let ffn = row("ffn-seq:128-hidden:768-inter:3072")
let mha = row("mha-seq:128-hidden:768-heads:12")
let dw = one.blocks.last { $0.key.hasPrefix("depthwise-") }!
let checks = Checks(
    ffnKey: ffn.key, ffnMs: ffn.medianMs, ffnPercentOfPeak: ffn.percentOfPeak ?? 0, ffnTargetPercent: 85,
    onnxRuntimeFFNMs: 15.8, mhaKey: mha.key, mhaPercentOfPeak: mha.percentOfPeak ?? 0, mhaTargetPercent: 75,
    depthwiseKey: dw.key, depthwiseMs: dw.medianMs, depthwiseGBs: dw.gbs ?? 0,
    depthwisePercentOfTriad: (dw.gbs ?? 0) / one.triadGBs * 100,
    ffnMet: (ffn.percentOfPeak ?? 0) >= 85, ffnFasterThanOnnxRuntime: ffn.medianMs < 15.8,
    mhaMet: (mha.percentOfPeak ?? 0) >= 75)
let report = Report(machine: MachineID.derive(from: cpu), buildTarget: BuildTarget.current.cpu,
                    blas: "\(BlasLibrary.config), core \(BlasLibrary.coreName)", budget: budget.rawValue,
                    createdAt: Timestamp.now(), results: results, checks: checks)
try AtomicFile.write(JSONFormat.encode(report), to: resultsDir.appendingPathComponent("kernels.json"))

var md = "# Block kernels on \(report.machine) (built for \(report.buildTarget))\n\n"
md += "Measured \(report.createdAt) with the \(budget.rawValue) budget; the peak is sgemm measured interleaved with the blocks in the same run.\n\n"
for result in results {
    md += String(format: "## %d thread%@ (PU %@): sgemm peak %.1f GFLOP/s (%@), triad %.1f GB/s\n\n",
                 result.threads, result.threads == 1 ? "" : "s", result.pus.map(String.init).joined(separator: ","),
                 result.peakGflops, result.peakKey, result.triadGBs)
    md += "| block | median ms | p10 ms | p90 ms | cv % | GFLOP/s | % of peak | GB/s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    for b in result.blocks {
        md += String(format: "| `%@` | %.3f | %.3f | %.3f | %.1f | %@ | %@ | %@ |\n", b.key, b.medianMs, b.p10Ms, b.p90Ms, b.cv * 100,
                     b.gflops.map { String(format: "%.1f", $0) } ?? "-", b.percentOfPeak.map { String(format: "%.1f", $0) } ?? "-",
                     b.gbs.map { String(format: "%.1f", $0) } ?? "-")
    }
    md += "\n"
}
md += "## Checks (one thread)\n\n"
md += String(format: "- FFN block (`%@`): %.2f ms, %.1f%% of the sgemm peak (target 85%%: %@); ONNX Runtime takes 15.8 ms for the same block here: %@.\n",
             checks.ffnKey, checks.ffnMs, checks.ffnPercentOfPeak, checks.ffnMet ? "met" : "NOT met",
             checks.ffnFasterThanOnnxRuntime ? "faster" : "NOT faster")
md += String(format: "- MHA block (`%@`): %.1f%% of the sgemm peak (target 75%%: %@).\n", checks.mhaKey, checks.mhaPercentOfPeak,
             checks.mhaMet ? "met" : "NOT met")
md += String(format: "- Depthwise convolution of the largest MBConv at 224 px (`%@`): %.3f ms, %.1f GB/s = %.0f%% of the triad bandwidth measured in this run.\n",
             checks.depthwiseKey, checks.depthwiseMs, checks.depthwiseGBs, checks.depthwisePercentOfTriad)
try AtomicFile.write(md, to: resultsDir.appendingPathComponent("kernels.md"))
print(md)
