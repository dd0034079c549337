// kernel-bench: single-core speed of the Kernels module against the machine's sgemm peak and
// STREAM bandwidth. Build and run in release:
//   HWNAS_TARGET_CPU=znver3 swift build -c release --product kernel-bench && .build/release/kernel-bench
// Options: --quick (fewer runs), --detail (per-op breakdowns and alternatives),
// --only=accuracy,transformer,variants,depthwise,mobilenet (sections); --depths=256,384 (variants:
// the AVX-512 GEMM with fixed K blocks too).
import CBlas
import Foundation
import Kernels
import Support

openblas_set_num_threads(1)
let arguments = Set(CommandLine.arguments.dropFirst())
let quick = arguments.contains("--quick")
let detail = arguments.contains("--detail")
let runs = quick ? 10 : 40
/// `--only=a,b` runs only the named sections (accuracy, transformer, depthwise, mobilenet).
let only = CommandLine.arguments.first { $0.hasPrefix("--only=") }.map { Set($0.dropFirst(7).split(separator: ",").map(String.init)) }
func enabled(_ section: String) -> Bool { only?.contains(section) ?? true }

/// Median (and p10) seconds of `runs` calls after `warmup` untimed ones.
func measure(runs: Int = runs, warmup: Int = 3, _ body: () -> Void) -> SampleStatistics {
    for _ in 0..<warmup { body() }
    var samples: [Double] = []
    samples.reserveCapacity(runs)
    for _ in 0..<runs {
        let start = MonotonicClock.now()
        body()
        samples.append(MonotonicClock.seconds(since: start))
    }
    return SampleStatistics(samples)
}

func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
func ms(_ s: SampleStatistics) -> String { "\(f(s.median * 1e3, 3)) ms (p10 \(f(s.p10 * 1e3, 3)))" }

print("kernel-bench: one core (openblas_set_num_threads(1)), medians of \(runs) runs")
print("")

// MARK: Accuracy of the vector approximations (dense grids against Foundation in Double)

if enabled("accuracy") {
    func worst(_ lower: Float, _ upper: Float, _ n: Int, _ approx: (Float8) -> Float8, _ exact: (Double) -> Double,
               relative: Bool) -> Double {
        var result = 0.0
        var i = 0
        while i < n {
            var x = Float8.zero
            for lane in 0..<8 { x[lane] = lower + (upper - lower) * Float(min(i + lane, n - 1)) / Float(n - 1) }
            let y = approx(x)
            for lane in 0..<8 {
                let e = exact(Double(x[lane]))
                let error = abs(Double(y[lane]) - e) / (relative ? abs(e) : 1)
                result = max(result, error)
            }
            i += 8
        }
        return result
    }
    let erfError = worst(-6, 6, 2_000_000, FastMath.erf, Foundation.erf, relative: false)
    let tanhError = worst(-12, 12, 2_000_000, FastMath.tanh, Foundation.tanh, relative: false)
    let expError = worst(-87, 88, 2_000_000, FastMath.exp, Foundation.exp, relative: true)
    print("approximations: max |erf err| \(String(format: "%.2e", erfError)) on [-6,6], max |tanh err| \(String(format: "%.2e", tanhError)) on [-12,12], max rel exp err \(String(format: "%.2e", expError)) on [-87,88]")
    let values = Tensor(shape: [128 * 3072], seed: 1, scale: 1.7)  // standard deviation ~1, like pre-GELU activations
    let gelu = measure { Activation.gelu.apply(values) }
    print("GELU over 128x3072 in place: \(ms(gelu)), \(f(Double(values.count) / gelu.median / 1e9)) Gvalues/s")
    print("")
}

// MARK: Reference points: sgemm peak and STREAM triad

let peakA = Tensor(shape: [768, 768], seed: 1), peakB = Tensor(shape: [768, 768], seed: 2)
let peakC = Tensor(shape: [768, 768])
let peakFlops = 2.0 * 768 * 768 * 768
func peakGemm() {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 768, 768, 768, 1,
                peakA.pointer, 768, peakB.pointer, 768, 0, peakC.pointer, 768)
}
let peakStatistics = measure(runs: max(runs, 20)) { peakGemm() }
let peak = peakFlops / peakStatistics.median / 1e9
print("sgemm 768^3: \(ms(peakStatistics)), \(f(peak, 1)) GFLOP/s  <- peak reference")

/// `body` and the sgemm peak, alternated run by run so that both see the same machine state
/// (the host is shared and its speed drifts); returns the body's statistics and the ratio of
/// its median rate to the peak's median rate in the same window.
func measureAgainstPeak(flops: Double, _ body: () -> Void) -> (SampleStatistics, ratio: Double, peak: Double) {
    for _ in 0..<3 { body(); peakGemm() }
    var samples: [Double] = [], peaks: [Double] = []
    for _ in 0..<runs {
        var start = MonotonicClock.now()
        body()
        samples.append(MonotonicClock.seconds(since: start))
        start = MonotonicClock.now()
        peakGemm()
        peaks.append(MonotonicClock.seconds(since: start))
    }
    let s = SampleStatistics(samples), p = SampleStatistics(peaks)
    return (s, (flops / s.median) / (peakFlops / p.median), peakFlops / p.median / 1e9)
}

let triadBandwidth: Double
do {
    let n = 8 << 20  // 32 MiB per array, beyond the L3 share
    let a = Tensor(shape: [n]), b = Tensor(shape: [n], seed: 1), c = Tensor(shape: [n], seed: 2)
    let (pa, pb, pc) = (a.pointer, b.pointer, c.pointer)
    let s = measure(runs: quick ? 5 : 15) {
        var i = 0
        let scale = Float8(repeating: 3)
        while i < n {
            UnsafeMutableRawPointer(pa + i).storeBytes(
                of: UnsafeRawPointer(pb + i).loadUnaligned(as: Float8.self)
                    .addingProduct(scale, UnsafeRawPointer(pc + i).loadUnaligned(as: Float8.self)),
                as: Float8.self)
            i += 8
        }
    }
    triadBandwidth = 12 * Double(n) / s.median / 1e9
    print("STREAM triad (3 x 32 MiB, one core): \(f(triadBandwidth, 1)) GB/s  <- bandwidth reference")
    print("")
}

var summary: [String] = []

@MainActor func report(_ name: String, flops: Double, target: Double, _ body: () -> Void) -> SampleStatistics {
    let (s, ratio, windowPeak) = measureAgainstPeak(flops: flops, body)
    let met = ratio >= target
    print("\(name): \(ms(s)), \(f(flops / s.median / 1e9, 1)) GFLOP/s = \(f(100 * ratio, 1))% of the sgemm peak (\(f(windowPeak, 1)) GFLOP/s, interleaved)  [target >= \(Int(target * 100))%: \(met ? "met" : "NOT met")]")
    summary.append("\(name.split(separator: " (").first!): \(f(100 * ratio, 1))% of peak (target \(Int(target * 100))%) \(met ? "met" : "NOT met")")
    return s
}

// MARK: BERT FFN block, sequence 128, batch 1

if enabled("transformer") {
    let (s, h, inner) = (128, 768, 3072)
    let up = Linear(inFeatures: h, outFeatures: inner, activation: .gelu, seed: 11)
    let down = Linear(inFeatures: inner, outFeatures: h, seed: 12)
    let norm = LayerNorm(features: h, epsilon: 1e-12, seed: 13)
    let x = Tensor(shape: [1, s, h], seed: 14)
    let hidden = Tensor(shape: [1, s, inner])
    let y = Tensor(shape: [1, s, h])
    let flops = 2.0 * Double(s * h * inner) * 2
    // ONNX Runtime's time for the same block is measured beside hwnas's by `scripts/bench ort`.
    _ = report("BERT FFN block (s128: 768->3072 GELU ->768, +residual, LayerNorm)", flops: flops, target: 0.85) {
        up(x, hidden)
        down(hidden, y, residual: x)
        norm(y, y)
    }
    if detail {
        let upWeight = up.weight, downWeight = down.weight
        let blasUp = Linear(inFeatures: h, outFeatures: inner, activation: .gelu, backend: .blas, seed: 11)
        let blasDown = Linear(inFeatures: inner, outFeatures: h, backend: .blas, seed: 12)
        let plainUp = Linear(inFeatures: h, outFeatures: inner, seed: 11)
        let raw1 = measure {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(s), Int32(inner), Int32(h), 1,
                        x.pointer, Int32(h), upWeight.pointer, Int32(inner), 0, hidden.pointer, Int32(inner))
        }
        let raw2 = measure {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(s), Int32(h), Int32(inner), 1,
                        hidden.pointer, Int32(inner), downWeight.pointer, Int32(h), 0, y.pointer, Int32(h))
        }
        let half = flops / 2
        func rate(_ t: SampleStatistics) -> String { "\(ms(t)) \(f(half / t.median / 1e9, 1)) GFLOP/s" }
        print("  plain cblas_sgemm 128x768 x 768x3072: \(rate(raw1)); 128x3072 x 3072x768: \(rate(raw2))")
        print("  Linear up, packed: +bias \(rate(measure { plainUp(x, hidden) })); +bias+GELU fused \(rate(measure { up(x, hidden) }))")
        print("  Linear up, blas backend (+bias+GELU on L2-sized panels): \(rate(measure { blasUp(x, hidden) }))")
        print("  GELU alone over 128x3072: \(ms(measure { Activation.gelu.apply(hidden) }))")
        print("  Linear down +bias+residual, packed: \(rate(measure { down(hidden, y, residual: x) })); blas: \(rate(measure { blasDown(hidden, y, residual: x) }))")
        print("  LayerNorm 128x768: \(ms(measure { norm(y, y) }))")
    }
}

// MARK: BERT MHA block, sequence 128, 12 heads

if enabled("transformer") {
    let (s, h) = (128, 768)
    let attention = MultiHeadAttention(hidden: h, heads: 12, sequence: s, batch: 1, seed: 21)
    let norm = LayerNorm(features: h, epsilon: 1e-12, seed: 22)
    let x = Tensor(shape: [1, s, h], seed: 23)
    let y = Tensor(shape: [1, s, h])
    let flops = 2.0 * (4 * Double(s * h * h) + 2 * 12 * Double(s * s * 64))
    _ = report("BERT MHA block (s128, 12 heads: QKV, attention, out proj, +residual, LayerNorm)", flops: flops, target: 0.75) {
        attention(x, y, residual: x)
        norm(y, y)
    }
    if detail {
        let qkv = Tensor(shape: [s, 3 * h]), context = Tensor(shape: [s, h])
        let proj = measure { attention.projection(x, qkv) }
        let out = measure { attention.output(context, y, residual: x) }
        let whole = measure { attention(x, y, residual: x) }
        print("  QKV projection: \(ms(proj)) (\(f(2 * Double(s * h * 3 * h) / proj.median / 1e9, 1)) GFLOP/s); output projection +residual: \(ms(out))")
        attention(x, y, residual: x)
        for variant in KernelVariant.runnable {
            let core = KernelDispatch.forcing(variant) { measure { attention.attendAlone() } }
            print("  attention core alone, \(variant.rawValue) (\(MultiHeadAttention.fusedCore(variant, headDimension: 64) ? "fused: Kᵀ packed once per head, 8-row tiles" : "24 sgemm of 128x128x64, 12 softmax of 128x128")): \(ms(core)), \(f(2 * 2 * 12 * Double(s * s * 64) / core.median / 1e9, 1)) GFLOP/s")
        }
        let blas = MultiHeadAttention(hidden: h, heads: 12, sequence: s, batch: 1, backend: .blas, seed: 21)
        print("  whole MHA with the blas backend for the projections: \(ms(measure { blas(x, y, residual: x) }))")
    }
}
print("")

// MARK: Packed GEMM variants side by side (--only=variants)

/// The BERT FFN and MHA blocks (sequence 128) built once per packed-GEMM variant and timed
/// round-robin with the sgemm peak, so that every variant sees the same machine state; prints
/// each one's median, its % of the same-round peak and its ratio to the first (AVX2).
if enabled("variants") {
    let (s, h, inner) = (128, 768, 3072)
    let x = Tensor(shape: [1, s, h], seed: 14)
    let hiddenBuffer = Tensor(shape: [1, s, inner])
    let y = Tensor(shape: [1, s, h])
    let ffnFlops = 2.0 * Double(s * h * inner) * 2
    let mhaFlops = 2.0 * (4 * Double(s * h * h) + 2 * 12 * Double(s * s * 64))
    struct Candidate { let name: String; let ffn: () -> Void; let mha: () -> Void }
    func candidate(_ variant: KernelVariant, _ name: String) -> Candidate {
        KernelDispatch.forcing(variant) {
            let up = Linear(inFeatures: h, outFeatures: inner, activation: .gelu, seed: 11)
            let down = Linear(inFeatures: inner, outFeatures: h, seed: 12)
            let norm = LayerNorm(features: h, epsilon: 1e-12, seed: 13)
            let attention = MultiHeadAttention(hidden: h, heads: 12, sequence: s, batch: 1, seed: 21)
            return Candidate(
                name: name,
                ffn: { up(x, hiddenBuffer); down(hiddenBuffer, y, residual: x); norm(y, y) },
                mha: { attention(x, y, residual: x); norm(y, y) })
        }
    }
    var candidates = [candidate(.avx2, "avx2-4x24")]
    if KernelVariant.runnable.contains(.avx512) {
        // `--depths=256,384`: the AVX-512 kernel with fixed K blocks besides the L1-derived one.
        let depths = CommandLine.arguments.first { $0.hasPrefix("--depths=") }
            .map { $0.dropFirst(9).split(separator: ",").compactMap { Int($0) } } ?? []
        let tile = "\(PackedWeights.avx512Tile.rows)x\(PackedWeights.avx512Tile.width)"
        candidates.append(candidate(.avx512, "avx512-\(tile)"))
        for depth in depths {
            PackedWeights.avx512FixedDepth = depth
            candidates.append(candidate(.avx512, "avx512-\(tile)@\(depth)"))
        }
        PackedWeights.avx512FixedDepth = nil
    }
    for (label, flops, pick) in [("FFN-3072", ffnFlops, { (c: Candidate) in c.ffn }), ("MHA-12", mhaFlops, { (c: Candidate) in c.mha })] {
        let bodies = candidates.map(pick)
        for body in bodies { for _ in 0..<3 { body() } }
        var samples = [[Double]](repeating: [], count: bodies.count), peaks: [Double] = []
        for _ in 0..<runs {
            for (index, body) in bodies.enumerated() {
                let start = MonotonicClock.now()
                body()
                samples[index].append(MonotonicClock.seconds(since: start))
            }
            let start = MonotonicClock.now()
            peakGemm()
            peaks.append(MonotonicClock.seconds(since: start))
        }
        let peakRate = peakFlops / SampleStatistics(peaks).median
        let first = SampleStatistics(samples[0]).median
        print("\(label) s128, interleaved with sgemm 768^3 (\(f(peakRate / 1e9, 1)) GFLOP/s in this run):")
        for (index, candidate) in candidates.enumerated() {
            let median = SampleStatistics(samples[index]).median
            print("  \(candidate.name): \(f(median * 1e3, 3)) ms, \(f(flops / median / peakRate * 100, 1))% of peak, time ratio to avx2 \(f(median / first, 3))")
        }
    }
    // The 1x1 convolutions of MobileNetV3's MBConv blocks at 224 px: short K and narrow N, where
    // a wide register tile pads most.
    print("MBConv 1x1 products (M x K x N), each variant's packing:")
    for (m, k, n) in [(3136, 24, 72), (3136, 72, 24), (3136, 24, 144), (3136, 144, 24), (784, 40, 240), (196, 80, 480), (49, 960, 160)] {
        let a = Tensor(shape: [m, k], seed: 31)
        let c = Tensor(shape: [m, n])
        var line = "  \(m) x \(k) x \(n):"
        var first = 0.0
        for variant in KernelVariant.runnable {
            let linear = KernelDispatch.forcing(variant) { Linear(inFeatures: k, outFeatures: n, activation: .relu, seed: 32) }
            let timed = measure(runs: runs * 5) { linear(a, c) }
            if first == 0 { first = timed.median }
            line += " \(variant.rawValue) \(f(timed.median * 1e6, 1)) us (\(f(2 * Double(m * k * n) / timed.median / 1e9, 1)) GFLOP/s, ratio \(f(timed.median / first, 3)))"
        }
        print(line)
    }
    print("")
}

// MARK: Depthwise convolutions: bandwidth against STREAM

/// A buffer larger than the L3 share, read between runs to measure from memory ("cold"); read
/// rather than written, so that no dirty lines are left to write back during the next call.
let flushBuffer = Tensor(shape: [16 << 20], seed: 3)
func flushCaches() {
    var sum = Float8.zero
    var i = 0
    while i < flushBuffer.count {
        sum += UnsafeRawPointer(flushBuffer.pointer + i).loadUnaligned(as: Float8.self)
        i += 16  // one load per 64-byte line
    }
    blackHole(sum)
}

func depthwise(_ k: Int, _ stride: Int, _ size: Int, _ c: Int, activation: Activation = .identity) {
    let layer = DepthwiseConvolution(channels: c, kernelSize: k, stride: stride, activation: activation, seed: 31)
    let x = Tensor(shape: [1, size, size, c], seed: 32)
    let out = layer.outputSize(height: size, width: size)
    let y = Tensor(shape: [1, out.height, out.width, c])
    let warm = measure { layer(x, y) }
    for _ in 0..<2 { layer(x, y) }
    var coldSamples: [Double] = []
    for _ in 0..<(quick ? 5 : 15) {
        flushCaches()
        let start = MonotonicClock.now()
        layer(x, y)
        coldSamples.append(MonotonicClock.seconds(since: start))
    }
    let cold = SampleStatistics(coldSamples)
    let bytes = 4.0 * Double(x.count + y.count + layer.weight.count + layer.bias.count)
    let flops = 2.0 * Double(y.count * k * k)
    func rate(_ s: SampleStatistics) -> String {
        "\(ms(s)), \(f(bytes / s.median / 1e9, 1)) GB/s (\(f(100 * bytes / s.median / 1e9 / triadBandwidth, 0))% of triad), \(f(flops / s.median / 1e9, 1)) GFLOP/s"
    }
    print("depthwise \(k)x\(k) s\(stride) \(size)x\(size)x\(c)\(activation == .identity ? "" : " +\(activation)") [\(f(bytes / 1e6, 1)) MB/call]")
    print("  repeated (in L3): \(rate(warm))")
    print("  cold (L3 flushed): \(rate(cold))")
}
if enabled("depthwise") {
depthwise(7, 1, 112, 96)
depthwise(3, 1, 56, 144)
}
if detail && enabled("depthwise") {
    depthwise(3, 1, 112, 48, activation: .relu)
    depthwise(5, 2, 56, 144, activation: .hardSwish)
    depthwise(7, 2, 28, 240)
    depthwise(5, 1, 14, 480, activation: .hardSwish)
    depthwise(3, 1, 7, 960)
}
print("")

// MARK: MobileNetV3 stem and an MBConv-like sequence

if enabled("mobilenet") {
    let stems = Convolution.Algorithm.allCases.map { algorithm in
        Convolution(inChannels: 3, outChannels: 16, kernelSize: 3, stride: 2, activation: .hardSwish,
                    height: 224, width: 224, algorithm: algorithm, seed: 41)
    }
    let x = Tensor(shape: [1, 224, 224, 3], seed: 42)
    let y = Tensor(shape: [1, 112, 112, 16])
    let flops = 2.0 * Double(112 * 112 * 16 * 27)
    for stem in stems {
        let s = measure { stem(x, y) }
        print("stem 3x3 s2 224x224x3 -> 112x112x16 +hswish, \(stem.algorithm): \(ms(s)), \(f(flops / s.median / 1e9, 1)) GFLOP/s")
    }
}
if enabled("mobilenet") {
    let expand = Convolution1x1(inChannels: 24, outChannels: 144, activation: .hardSwish, seed: 51)
    let dw = DepthwiseConvolution(channels: 144, kernelSize: 5, stride: 2, activation: .hardSwish, seed: 52)
    let se = SqueezeExcite(channels: 144, batch: 1, seed: 53)
    let project = Convolution1x1(inChannels: 144, outChannels: 40, seed: 54)
    let x = Tensor(shape: [1, 56, 56, 24], seed: 55)
    let expanded = Tensor(shape: [1, 56, 56, 144])
    let filtered = Tensor(shape: [1, 28, 28, 144])
    let y = Tensor(shape: [1, 28, 28, 40])
    let flops = 2.0 * (Double(56 * 56 * 24 * 144) + Double(28 * 28 * 144 * 25) + Double(28 * 28 * 144 * 40))
    let block = measure {
        expand(x, expanded)
        dw(expanded, filtered)
        se(filtered)
        project(filtered, y)
    }
    print("MBConv-like (1x1 24->144 @56x56, dw 5x5 s2, SE 144/\(se.midChannels), 1x1 144->40): \(ms(block)), \(f(flops / block.median / 1e9, 1)) GFLOP/s")
    let parts = [
        ("expand", measure { expand(x, expanded) }), ("depthwise", measure { dw(expanded, filtered) }),
        ("SE", measure { se(filtered) }), ("project", measure { project(filtered, y) }),
    ]
    print("  " + parts.map { "\($0.0) \(f($0.1.median * 1e3, 3)) ms" }.joined(separator: ", "))
}

print("")
print("targets:")
for line in summary { print("  " + line) }
