import Support
import SuperNet

extension OnnxGraphBuilder {
    /// Appends `block` reading `input` and returns its output. The graph computes what the
    /// native runtime's block computes from the same weights, with the operators a deployment
    /// exporter writes (opset 17): MatMul + Add for linear layers on sequences, Gemm on vectors,
    /// Conv (grouped for depthwise) with batch norm already folded into its bias,
    /// LayerNormalization, GELU in its erf form, HardSwish, HardSigmoid, Softmax,
    /// GlobalAveragePool. Throws naming the block when a parameter is missing or misshapen, or
    /// when `input` is not laid out as the block takes it.
    public mutating func appendBlock(_ block: Block, parameters p: BlockParameters, input: OnnxValue,
                                     side: OnnxSideInputs = OnnxSideInputs()) throws(HwnasError) -> OnnxValue {
        switch block {
        case .embedding(let b): return try embedding(b, p, input, side)
        case .patchEmbedding(let b): return try patchEmbedding(b, p, input)
        case .attention(let b): return try attention(b, p, input, side)
        case .feedForward(let b): return try feedForward(b, p, input)
        case .pooler(let b): return try pooler(b, p, input)
        case .classifier(let b): return try classifier(b, p, input)
        case .convolution(let b): return try convolution(b, p, input)
        case .mbconv(let b): return try mbconv(b, p, input)
        case .pool(let b):
            try expect(input, .image(channels: b.channels, height: b.resolution, width: b.resolution), block)
            let out = node("GlobalAveragePool", [input.name], hint: "pool")
            return OnnxValue(name: out, layout: .image(channels: b.channels, height: 1, width: 1))
        }
    }

    // MARK: transformer blocks

    /// Word, position and token-type rows summed (in that order), then layer norm. Positions
    /// are the first `sequence` rows of the table, however long the sequence is at run time.
    mutating func embedding(_ b: EmbeddingBlock, _ p: BlockParameters, _ input: OnnxValue,
                            _ side: OnnxSideInputs) throws(HwnasError) -> OnnxValue {
        guard case .tokens(let length) = input.layout, let types = side.tokenTypes else {
            throw HwnasError("block \(b.key) takes token ids and token types, not \(input.layout)")
        }
        let words = initializer("word_embeddings", try p.tensor("words", [b.vocabulary, b.hidden]))
        let positions = initializer("position_embeddings", try p.tensor("positions", [b.positions, b.hidden]))
        let typeTable = initializer("token_type_embeddings", try p.tensor("types", [b.tokenTypes, b.hidden]))
        let wordRows = node("Gather", [words, input.name], [.int("axis", 0)], hint: "word_rows")
        let length1D = node("Shape", [input.name], [.int("start", 1), .int("end", 2)], hint: "sequence_length")
        let positionRows = node("Slice", [positions, constant("zero_1d", int64: [0]), length1D, constant("axis_0", int64: [0])],
                                hint: "position_rows")
        let typeRows = node("Gather", [typeTable, types], [.int("axis", 0)], hint: "type_rows")
        let sum = node("Add", [node("Add", [wordRows, positionRows], hint: "embedding_sum"), typeRows], hint: "embedding_sum")
        let out = try layerNorm(sum, p, features: b.hidden, epsilon: b.normEpsilon, hint: "embedding")
        return OnnxValue(name: out, layout: .sequence(length: length, features: b.hidden))
    }

    /// A patch x patch convolution of stride patch (the kernels' [p·p·c, hidden] projection:
    /// rows in (dy, dx, c) order), flattened to tokens, after the class token, plus positions.
    mutating func patchEmbedding(_ b: PatchEmbeddingBlock, _ p: BlockParameters, _ input: OnnxValue) throws(HwnasError) -> OnnxValue {
        try expect(input, .image(channels: b.channels, height: b.resolution, width: b.resolution), .patchEmbedding(b))
        let projection = try p.tensor("projection.weight", [b.patch * b.patch * b.channels, b.hidden])
            .reshaped([b.patch, b.patch, b.channels, b.hidden]).permuted([3, 2, 0, 1])
        let conv = node("Conv", [input.name, initializer("patch_projection_weight", projection),
                                 initializer("patch_projection_bias", try p.tensor("projection.bias", [b.hidden]))],
                        [.ints("kernel_shape", [b.patch, b.patch]), .ints("strides", [b.patch, b.patch])], hint: "patch_projection")
        let flat = node("Reshape", [conv, constant("flatten_patches", int64: [0, 0, -1])], hint: "patches")
        let patches = node("Transpose", [flat], [.ints("perm", [0, 2, 1])], hint: "patch_tokens")
        let classToken = try p.tensor("classToken", [b.hidden]).reshaped([1, 1, b.hidden])
        let batch = node("Shape", [input.name], [.int("start", 0), .int("end", 1)], hint: "batch_size")
        let shape = node("Concat", [batch, constant("class_token_tail", int64: [1, Int64(b.hidden)])], [.int("axis", 0)],
                         hint: "class_token_shape")
        let classTokens = node("Expand", [initializer("class_token", classToken), shape], hint: "class_tokens")
        let tokens = node("Concat", [classTokens, patches], [.int("axis", 1)], hint: "tokens")
        let positions = try p.tensor("positions", [b.tokens, b.hidden]).reshaped([1, b.tokens, b.hidden])
        let out = node("Add", [tokens, initializer("position_embeddings", positions)], hint: "patch_embedding")
        return OnnxValue(name: out, layout: .sequence(length: .fixed(b.tokens), features: b.hidden))
    }

    /// BERT: y = LN(x + MHA(x)); ViT: y = x + MHA(LN(x)). Q, K and V are the column blocks of
    /// the kernels' fused projection (head-major within each); scores are Q·Kᵀ/√d, plus the
    /// attention bias when the sub-network takes a mask.
    mutating func attention(_ b: AttentionBlock, _ p: BlockParameters, _ input: OnnxValue,
                            _ side: OnnxSideInputs) throws(HwnasError) -> OnnxValue {
        guard case .sequence(let length, b.hidden) = input.layout else {
            throw HwnasError("block \(b.key) takes a sequence of \(b.hidden) features, not \(input.layout)")
        }
        let inner = b.inner, d = b.headDim
        let qkv = try p.tensor("attention.qkv.weight", [b.hidden, 3 * inner])
        let qkvBias = try p.tensor("attention.qkv.bias", [3 * inner])
        let source = b.norm == .pre ? try layerNorm(input.name, p, features: b.hidden, epsilon: b.norm.epsilon, hint: "attention_norm")
                                    : input.name
        let split = constant("heads_shape", int64: [0, 0, Int64(b.heads), Int64(d)])
        func project(_ index: Int, _ name: String, _ perm: [Int]) throws(HwnasError) -> String {
            let columns = index * inner..<(index + 1) * inner
            let weight = qkv.columns(columns)
            let bias = try! PlainTensor(shape: [inner], values: Array(qkvBias.values[columns]))
            let projected = linear(source, weight: weight, bias: bias, hint: name)
            return node("Transpose", [node("Reshape", [projected, split], hint: name + "_heads")], [.ints("perm", perm)],
                        hint: name + "_transposed")
        }
        let q = try project(0, "query", [0, 2, 1, 3])
        let k = try project(1, "key", [0, 2, 3, 1])
        let v = try project(2, "value", [0, 2, 1, 3])
        var scores = node("Div", [node("MatMul", [q, k], hint: "scores"), constant("sqrt_head_dim", [Float(d).squareRoot()])],
                          hint: "scaled_scores")
        if let bias = side.attentionBias {
            scores = node("Add", [scores, bias], hint: "masked_scores")
        }
        let probabilities = node("Softmax", [scores], [.int("axis", -1)], hint: "probabilities")
        let context = node("Transpose", [node("MatMul", [probabilities, v], hint: "context")], [.ints("perm", [0, 2, 1, 3])],
                           hint: "context_transposed")
        let merged = node("Reshape", [context, constant("merge_heads", int64: [0, 0, Int64(inner)])], hint: "context_merged")
        let projected = linear(merged, weight: try p.tensor("attention.output.weight", [inner, b.hidden]),
                               bias: try p.tensor("attention.output.bias", [b.hidden]), hint: "attention_output")
        let residual = node("Add", [projected, input.name], hint: "attention_residual")
        let out = b.norm == .post ? try layerNorm(residual, p, features: b.hidden, epsilon: b.norm.epsilon, hint: "attention_norm")
                                  : residual
        return OnnxValue(name: out, layout: .sequence(length: length, features: b.hidden))
    }

    /// BERT: y = LN(x + W2·GELU(W1·x)); ViT: y = x + W2·GELU(W1·LN(x)).
    mutating func feedForward(_ b: FeedForwardBlock, _ p: BlockParameters, _ input: OnnxValue) throws(HwnasError) -> OnnxValue {
        guard case .sequence(let length, b.hidden) = input.layout else {
            throw HwnasError("block \(b.key) takes a sequence of \(b.hidden) features, not \(input.layout)")
        }
        let source = b.norm == .pre ? try layerNorm(input.name, p, features: b.hidden, epsilon: b.norm.epsilon, hint: "ffn_norm")
                                    : input.name
        let up = linear(source, weight: try p.tensor("up.weight", [b.hidden, b.intermediate]),
                        bias: try p.tensor("up.bias", [b.intermediate]), hint: "ffn_up")
        let down = linear(activation(.gelu, up), weight: try p.tensor("down.weight", [b.intermediate, b.hidden]),
                          bias: try p.tensor("down.bias", [b.hidden]), hint: "ffn_down")
        let residual = node("Add", [down, input.name], hint: "ffn_residual")
        let out = b.norm == .post ? try layerNorm(residual, p, features: b.hidden, epsilon: b.norm.epsilon, hint: "ffn_norm")
                                  : residual
        return OnnxValue(name: out, layout: .sequence(length: length, features: b.hidden))
    }

    /// The first token through a dense layer and tanh.
    mutating func pooler(_ b: PoolerBlock, _ p: BlockParameters, _ input: OnnxValue) throws(HwnasError) -> OnnxValue {
        guard case .sequence(_, b.hidden) = input.layout else {
            throw HwnasError("block \(b.key) takes a sequence of \(b.hidden) features, not \(input.layout)")
        }
        let first = node("Gather", [input.name, constant("first_token", int64: [0], shape: [])], [.int("axis", 1)], hint: "first_token")
        let dense = gemm(first, weight: try p.tensor("dense.weight", [b.hidden, b.hidden]), bias: try p.tensor("dense.bias", [b.hidden]),
                         hint: "pooler")
        return OnnxValue(name: activation(.tanh, dense), layout: .vector(b.hidden))
    }

    /// The final linear layer; for ViT the class token is layer-normalised first.
    mutating func classifier(_ b: ClassifierBlock, _ p: BlockParameters, _ input: OnnxValue) throws(HwnasError) -> OnnxValue {
        var source = input.name
        if let sequence = b.sequenceBeforeNorm {
            guard case .sequence(let length, b.inputs) = input.layout, length == .fixed(sequence) else {
                throw HwnasError("block \(b.key) takes a sequence of \(sequence) x \(b.inputs), not \(input.layout)")
            }
            let first = node("Gather", [source, constant("class_token_index", int64: [0], shape: [])], [.int("axis", 1)],
                             hint: "class_token_state")
            source = try layerNorm(first, p, features: b.inputs, epsilon: b.normEpsilon, hint: "final_norm")
        } else {
            switch input.layout {
            case .vector(b.inputs): break
            case .image(b.inputs, 1, 1):
                source = node("Flatten", [source], [.int("axis", 1)], hint: "flatten")
            default:
                throw HwnasError("block \(b.key) takes a vector of \(b.inputs), not \(input.layout)")
            }
        }
        let logits = gemm(source, weight: try p.tensor("dense.weight", [b.inputs, b.classes]), bias: try p.tensor("dense.bias", [b.classes]),
                          hint: "classifier")
        return OnnxValue(name: logits, layout: .vector(b.classes))
    }

    // MARK: convolutional blocks

    /// A k x k convolution ("same" padding k/2) with bias and activation; 1x1 ones come as a
    /// linear layer's [in, out] weight.
    mutating func convolution(_ b: ConvBlock, _ p: BlockParameters, _ input: OnnxValue) throws(HwnasError) -> OnnxValue {
        try expect(input, .image(channels: b.inChannels, height: b.resolution, width: b.resolution), .convolution(b))
        let weight: PlainTensor
        if b.kernel == 1 && b.stride == 1 {
            weight = try p.tensor("conv.weight", [b.inChannels, b.outChannels]).transposed().reshaped([b.outChannels, b.inChannels, 1, 1])
        } else {
            weight = try p.tensor("conv.weight", [b.kernel, b.kernel, b.inChannels, b.outChannels]).permuted([3, 2, 0, 1])
        }
        let hint = b.role.rawValue.replacingOccurrences(of: "-", with: "_")
        let conv = self.conv(input.name, weight: weight, bias: try p.tensor("conv.bias", [b.outChannels]), kernel: b.kernel,
                             stride: b.stride, group: 1, hint: hint)
        return OnnxValue(name: activation(b.activation, conv),
                         layout: .image(channels: b.outChannels, height: b.outResolution, width: b.outResolution))
    }

    /// 1x1 expand + activation, k x k depthwise + activation, squeeze-excite (global average
    /// pool, 1x1 reduce + ReLU, 1x1 expand + h-sigmoid, scale), 1x1 project, residual.
    mutating func mbconv(_ b: MBConvBlock, _ p: BlockParameters, _ input: OnnxValue) throws(HwnasError) -> OnnxValue {
        try expect(input, .image(channels: b.inChannels, height: b.resolution, width: b.resolution), .mbconv(b))
        var h = input.name
        if b.expands {
            h = activation(b.activation, conv1x1(h, weight: try p.tensor("expand.weight", [b.inChannels, b.mid]),
                                                 bias: try p.tensor("expand.bias", [b.mid]), hint: "expand"))
        }
        let depthwise = try p.tensor("depthwise.weight", [b.kernel, b.kernel, b.mid]).permuted([2, 0, 1])
            .reshaped([b.mid, 1, b.kernel, b.kernel])
        h = activation(b.activation, conv(h, weight: depthwise, bias: try p.tensor("depthwise.bias", [b.mid]), kernel: b.kernel,
                                          stride: b.stride, group: b.mid, hint: "depthwise"))
        if b.squeezeExcite {
            let pooled = node("GlobalAveragePool", [h], hint: "se_pool")
            let reduced = activation(.relu, conv1x1(pooled, weight: try p.tensor("se.reduce.weight", [b.mid, b.seChannels]),
                                                    bias: try p.tensor("se.reduce.bias", [b.seChannels]), hint: "se_reduce"))
            let gate = activation(.hardSigmoid, conv1x1(reduced, weight: try p.tensor("se.expand.weight", [b.seChannels, b.mid]),
                                                        bias: try p.tensor("se.expand.bias", [b.mid]), hint: "se_expand"))
            h = node("Mul", [h, gate], hint: "se_scale")
        }
        var out = conv1x1(h, weight: try p.tensor("project.weight", [b.mid, b.outChannels]),
                          bias: try p.tensor("project.bias", [b.outChannels]), hint: "project")
        if b.residual {
            out = node("Add", [out, input.name], hint: "residual")
        }
        return OnnxValue(name: out, layout: .image(channels: b.outChannels, height: b.outResolution, width: b.outResolution))
    }

    // MARK: operators

    /// Hugging Face's extended attention mask: (1 - mask)·finfo(float32).min, [N, 1, 1, S].
    mutating func attentionBias(mask: String) -> String {
        let floats = node("Cast", [mask], [.int("to", Int(OnnxElementType.float.dataType))], hint: "mask_float")
        let inverted = node("Sub", [constant("one", [1]), floats], hint: "mask_inverted")
        let bias = node("Mul", [inverted, constant("mask_bias", [-Float.greatestFiniteMagnitude])], hint: "mask_bias_values")
        return node("Unsqueeze", [bias, constant("mask_axes", int64: [1, 2])], hint: "attention_bias")
    }


    /// The element-wise activation as exporters write it; identity adds nothing.
    public mutating func activation(_ kind: ActivationKind, _ x: String) -> String {
        switch kind {
        case .identity: return x
        case .relu: return node("Relu", [x])
        case .relu6: return node("Clip", [x, constant("zero", [0]), constant("six", [6])], hint: "relu6")
        case .hardSwish: return node("HardSwish", [x])
        case .hardSigmoid: return node("HardSigmoid", [x], [.float("alpha", 1 / 6), .float("beta", 0.5)])
        case .tanh: return node("Tanh", [x])
        case .gelu:
            // 0.5·x·(1 + erf(x/√2)), as BERT exports write it.
            let erf = node("Erf", [node("Div", [x, constant("sqrt2", [Float(2).squareRoot()])], hint: "gelu_scaled")], hint: "gelu_erf")
            let onePlus = node("Add", [erf, constant("one", [1])], hint: "gelu_one_plus")
            return node("Mul", [node("Mul", [x, onePlus], hint: "gelu_product"), constant("half", [0.5])], hint: "gelu")
        }
    }

    /// x·W + b over the last axis, W [in, out] (MatMul then Add, as exporters write a linear
    /// layer on a sequence).
    mutating func linear(_ x: String, weight: PlainTensor, bias: PlainTensor, hint: String) -> String {
        let product = node("MatMul", [x, initializer(hint + "_weight", weight)], hint: hint + "_matmul")
        return node("Add", [product, initializer(hint + "_bias", bias)], hint: hint)
    }

    /// x·W + b on [N, in] as one Gemm; the weight stored [out, in] with transB, as exporters
    /// write PyTorch's Linear.
    mutating func gemm(_ x: String, weight: PlainTensor, bias: PlainTensor, hint: String) -> String {
        node("Gemm", [x, initializer(hint + "_weight", weight.transposed()), initializer(hint + "_bias", bias)], [.int("transB", 1)],
             hint: hint)
    }

    /// A convolution with "same" padding k/2 on every side; weight [out, in/group, k, k].
    mutating func conv(_ x: String, weight: PlainTensor, bias: PlainTensor, kernel: Int, stride: Int, group: Int,
                       hint: String) -> String {
        var attributes: [OnnxAttribute] = [
            .ints("kernel_shape", [kernel, kernel]), .ints("strides", [stride, stride]), .ints("pads", Array(repeating: kernel / 2, count: 4)),
        ]
        if group != 1 { attributes.append(.int("group", group)) }
        return node("Conv", [x, initializer(hint + "_weight", weight), initializer(hint + "_bias", bias)], attributes, hint: hint)
    }

    /// A 1x1 convolution from a linear layer's [in, out] weight.
    mutating func conv1x1(_ x: String, weight: PlainTensor, bias: PlainTensor, hint: String) -> String {
        let oihw = try! weight.transposed().reshaped([weight.shape[1], weight.shape[0], 1, 1])
        return conv(x, weight: oihw, bias: bias, kernel: 1, stride: 1, group: 1, hint: hint)
    }

    /// LayerNormalization over the last axis with `norm.weight` and `norm.bias`.
    mutating func layerNorm(_ x: String, _ p: BlockParameters, features: Int, epsilon: Float, hint: String) throws(HwnasError) -> String {
        node("LayerNormalization", [x, initializer(hint + "_weight", try p.tensor("norm.weight", [features])),
                                    initializer(hint + "_bias", try p.tensor("norm.bias", [features]))],
             [.int("axis", -1), .float("epsilon", epsilon)], hint: hint)
    }

    private func expect(_ input: OnnxValue, _ layout: OnnxValue.Layout, _ block: Block) throws(HwnasError) {
        guard input.layout == layout else {
            throw HwnasError("block \(block.key) takes \(layout), not \(input.layout)")
        }
    }
}
