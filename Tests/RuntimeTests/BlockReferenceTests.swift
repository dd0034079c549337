import Kernels
import Testing
import Runtime
import SuperNet

/// Each kind of runnable block against `DoubleReference` on a small configuration, with the
/// block's own weights and input: a block that skipped a step (the squeeze-excite, a residual,
/// a layer norm) or applied one in the wrong place would make every table silently wrong.
@Suite struct BlockReferenceTests {
    typealias Weights = (w: [Double], b: [Double])

    /// A block built at batch 2 with its input and weights as Doubles, run once.
    struct Built {
        let runnable: RunnableBlock
        let input: [Double]
        let parameters: [String: [Double]]
        var output: [Float] { runnable.output.array }

        init(_ block: Block, batch: Int = 2, seed: UInt64 = 7) throws {
            runnable = try RunnableBlock(block, options: ExecutionOptions(batch: batch), seed: seed)
            input = runnable.input.array.map(Double.init)
            parameters = runnable.parameters().mapValues { $0.array.map(Double.init) }
            runnable.run()
        }

        func layer(_ name: String) -> Weights {
            (parameters[name + ".weight"]!, parameters[name + ".bias"]!)
        }
    }

    /// Element by element within Float rounding of order-one values; the worst error is named.
    static func differences(_ actual: [Float], _ expected: [Double]) -> (count: Int, worst: Double) {
        guard actual.count == expected.count else { return (max(actual.count, expected.count), .infinity) }
        var count = 0, worst = 0.0
        for (a, e) in zip(actual, expected) {
            let error = abs(Double(a) - e)
            worst = max(worst, error)
            if error > 1e-4 + 1e-3 * abs(e) { count += 1 }
        }
        return (count, worst)
    }

    static func expectClose(_ actual: [Float], _ expected: [Double], _ what: String) {
        let (count, worst) = differences(actual, expected)
        #expect(count == 0, "\(what): \(count) of \(expected.count) values differ from the reference, worst by \(worst)")
    }

    static func function(_ kind: ActivationKind) -> DoubleReference.Function {
        switch kind {
        case .identity: .identity
        case .relu: .relu
        case .relu6: .relu6
        case .hardSwish: .hardSwish
        case .hardSigmoid: .hardSigmoid
        case .tanh: .tanh
        case .gelu: .gelu
        }
    }

    // MARK: MBConv

    /// 1x1 expand (+ activation), depthwise (+ activation), squeeze-excite, 1x1 project, plus
    /// the input when shapes allow; either step can be left out of the reference.
    static func mbconv(_ b: MBConvBlock, _ built: Built, batch: Int, squeezeExcite: Bool, residual: Bool) -> [Double] {
        let f = function(b.activation)
        let pixels = b.resolution * b.resolution
        var x = built.input
        if b.expands {
            let expand = built.layer("expand")
            x = DoubleReference.linear(x, rows: batch * pixels, weight: expand.w, bias: expand.b, in: b.inChannels, out: b.mid, f)
        }
        let depthwise = built.layer("depthwise")
        x = DoubleReference.depthwise(x, batch: batch, size: b.resolution, channels: b.mid, kernel: b.kernel, stride: b.stride,
                                      weight: depthwise.w, bias: depthwise.b, f)
        let outPixels = b.outResolution * b.outResolution
        if squeezeExcite {
            x = DoubleReference.squeezeExcite(x, batch: batch, pixels: outPixels, channels: b.mid, mid: b.seChannels,
                                              reduce: built.layer("se.reduce"), expand: built.layer("se.expand"))
        }
        let project = built.layer("project")
        let y = DoubleReference.linear(x, rows: batch * outPixels, weight: project.w, bias: project.b, in: b.mid, out: b.outChannels)
        return residual ? DoubleReference.add(y, built.input) : y
    }

    static let mbconvBlocks: [MBConvBlock] = [
        // Squeeze-excite and residual, odd size (border pixels), 5x5.
        MBConvBlock(resolution: 7, inChannels: 8, outChannels: 8, mid: 24, kernel: 5, stride: 1, squeezeExcite: true,
                    activation: .hardSwish),
        // Stride 2, channels widen: no residual; squeeze-excite with relu.
        MBConvBlock(resolution: 9, inChannels: 8, outChannels: 16, mid: 32, kernel: 3, stride: 2, squeezeExcite: true,
                    activation: .relu),
        // The fixed first block: no expansion, no squeeze-excite, residual.
        MBConvBlock(resolution: 6, inChannels: 12, outChannels: 12, mid: 12, kernel: 3, stride: 1, squeezeExcite: false,
                    activation: .relu, expands: false),
    ]

    @Test(arguments: mbconvBlocks)
    func mbconvMatchesTheReference(_ b: MBConvBlock) throws {
        let built = try Built(.mbconv(b))
        let expected = Self.mbconv(b, built, batch: 2, squeezeExcite: b.squeezeExcite, residual: b.residual)
        Self.expectClose(built.output, expected, b.key)
    }

    /// The reference tells the steps apart: without the squeeze-excite or the residual it no
    /// longer matches the block, so a block that skipped either would fail the test above.
    @Test func leavingOutSqueezeExciteOrResidualIsDetected() throws {
        let b = Self.mbconvBlocks[0]
        #expect(b.squeezeExcite && b.residual)
        let built = try Built(.mbconv(b))
        let withoutSE = Self.mbconv(b, built, batch: 2, squeezeExcite: false, residual: true)
        let withoutResidual = Self.mbconv(b, built, batch: 2, squeezeExcite: true, residual: false)
        #expect(Self.differences(built.output, withoutSE).count > built.output.count / 2)
        #expect(Self.differences(built.output, withoutResidual).count > built.output.count / 2)
    }

    // MARK: Transformer blocks

    @Test(arguments: [AttentionBlock.Norm.post, .pre])
    func attentionMatchesTheReference(_ norm: AttentionBlock.Norm) throws {
        // Elastic: 2 heads of 8 (inner 16) in a hidden width of 32.
        let b = AttentionBlock(sequence: 5, hidden: 32, heads: 2, headDim: 8, norm: norm)
        let built = try Built(.attention(b))
        let ln = built.layer("norm"), epsilon = norm == .post ? 1e-12 : 1e-6
        func mha(_ x: [Double]) -> [Double] {
            DoubleReference.attention(x, batch: 2, sequence: b.sequence, hidden: b.hidden, heads: b.heads, headDim: b.headDim,
                                      qkv: built.layer("attention.qkv"), output: built.layer("attention.output"))
        }
        func layerNorm(_ x: [Double]) -> [Double] {
            DoubleReference.layerNorm(x, features: b.hidden, gamma: ln.w, beta: ln.b, epsilon: epsilon)
        }
        let x = built.input
        let expected = norm == .post ? layerNorm(DoubleReference.add(x, mha(x))) : DoubleReference.add(x, mha(layerNorm(x)))
        Self.expectClose(built.output, expected, b.key + " \(norm)")
    }

    /// minilm-l6's attention: 12 heads of 32 in hidden 384 are built as such (Q, K, V of 384
    /// columns each, not 768 as heads of 64 would make them) and compute the reference.
    @Test func miniLMAttentionHasHeadsOf32() throws {
        let space = MiniLML6Space()
        var blocks: [AttentionBlock] = []
        for case .attention(let b) in space.distinctBlocks(settings: SpaceSettings(sequence: 3)) { blocks.append(b) }
        #expect(blocks.map(\.heads) == [4, 6, 8, 12])
        for b in blocks {
            let built = try Built(.attention(b), batch: 1)
            let qkv = built.layer("attention.qkv"), out = built.layer("attention.output")
            #expect(qkv.w.count == 384 * 3 * b.heads * 32 && qkv.b.count == 3 * b.heads * 32, "\(b.key)")
            #expect(out.w.count == b.heads * 32 * 384 && out.b.count == 384, "\(b.key)")
            guard b.heads == 12 else { continue }
            let ln = built.layer("norm")
            let attended = DoubleReference.attention(built.input, batch: 1, sequence: b.sequence, hidden: 384, heads: 12, headDim: 32,
                                                     qkv: qkv, output: out)
            let expected = DoubleReference.layerNorm(DoubleReference.add(built.input, attended), features: 384,
                                                     gamma: ln.w, beta: ln.b, epsilon: 1e-12)
            Self.expectClose(built.output, expected, b.key)
            // Six heads of 64 over the same weights are another computation: the reference tells them apart.
            let asHeadsOf64 = DoubleReference.attention(built.input, batch: 1, sequence: b.sequence, hidden: 384, heads: 6, headDim: 64,
                                                        qkv: qkv, output: out)
            let wrong = DoubleReference.layerNorm(DoubleReference.add(built.input, asHeadsOf64), features: 384,
                                                  gamma: ln.w, beta: ln.b, epsilon: 1e-12)
            #expect(Self.differences(built.output, wrong).count > 0)
        }
    }

    @Test(arguments: [AttentionBlock.Norm.post, .pre])
    func feedForwardMatchesTheReference(_ norm: AttentionBlock.Norm) throws {
        let b = FeedForwardBlock(sequence: 5, hidden: 24, intermediate: 40, norm: norm)
        let built = try Built(.feedForward(b))
        let ln = built.layer("norm"), epsilon = norm == .post ? 1e-12 : 1e-6
        let up = built.layer("up"), down = built.layer("down"), rows = 2 * b.sequence
        func mlp(_ x: [Double]) -> [Double] {
            let hidden = DoubleReference.linear(x, rows: rows, weight: up.w, bias: up.b, in: b.hidden, out: b.intermediate, .gelu)
            return DoubleReference.linear(hidden, rows: rows, weight: down.w, bias: down.b, in: b.intermediate, out: b.hidden)
        }
        func layerNorm(_ x: [Double]) -> [Double] {
            DoubleReference.layerNorm(x, features: b.hidden, gamma: ln.w, beta: ln.b, epsilon: epsilon)
        }
        let x = built.input
        let expected = norm == .post ? layerNorm(DoubleReference.add(x, mlp(x))) : DoubleReference.add(x, mlp(layerNorm(x)))
        Self.expectClose(built.output, expected, b.key + " \(norm)")
    }

    /// Patches cut out row by row (dy, dx, channel), projected, after the class token, plus
    /// the position embeddings.
    @Test func patchEmbeddingMatchesTheReference() throws {
        let b = PatchEmbeddingBlock(resolution: 8, patch: 4, channels: 3, hidden: 16)
        let built = try Built(.patchEmbedding(b))
        let projection = built.layer("projection")
        let classToken = built.parameters["classToken"]!, positions = built.parameters["positions"]!
        let r = b.resolution, p = b.patch, c = b.channels, side = r / p, length = p * p * c, h = b.hidden
        var expected: [Double] = []
        for image in 0..<2 {
            var rows: [Double] = []
            for py in 0..<side {
                for px in 0..<side {
                    for dy in 0..<p {
                        for dx in 0..<p {
                            for ch in 0..<c { rows.append(built.input[((image * r + py * p + dy) * r + px * p + dx) * c + ch]) }
                        }
                    }
                }
            }
            let projected = DoubleReference.linear(rows, rows: b.patches, weight: projection.w, bias: projection.b, in: length, out: h)
            expected += DoubleReference.add(classToken + projected, positions)
        }
        Self.expectClose(built.output, expected, b.key)
    }

    @Test func poolerMatchesTheReference() throws {
        let b = PoolerBlock(sequence: 4, hidden: 16)
        let built = try Built(.pooler(b))
        let dense = built.layer("dense")
        let first = (0..<2).flatMap { image in built.input[(image * b.sequence * b.hidden)..<(image * b.sequence * b.hidden + b.hidden)] }
        let expected = DoubleReference.linear(first, rows: 2, weight: dense.w, bias: dense.b, in: b.hidden, out: b.hidden, .tanh)
        Self.expectClose(built.output, expected, b.key)
    }

    @Test(arguments: [nil, 3] as [Int?])
    func classifierMatchesTheReference(_ sequence: Int?) throws {
        let b = ClassifierBlock(inputs: 16, classes: 10, sequenceBeforeNorm: sequence)
        let built = try Built(.classifier(b))
        let dense = built.layer("dense")
        var x = built.input
        if let sequence {
            let ln = built.layer("norm")
            let first = (0..<2).flatMap { image in x[(image * sequence * b.inputs)..<(image * sequence * b.inputs + b.inputs)] }
            x = DoubleReference.layerNorm(first, features: b.inputs, gamma: ln.w, beta: ln.b, epsilon: 1e-6)
        }
        let expected = DoubleReference.linear(x, rows: 2, weight: dense.w, bias: dense.b, in: b.inputs, out: b.classes)
        Self.expectClose(built.output, expected, b.key)
    }
}
