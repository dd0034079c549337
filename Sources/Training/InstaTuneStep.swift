import Support

/// The gradient of one InstaTune step (DyNAS-T's `engine_for_elastic_finetuning.py`): on one
/// batch the full super-network and one sampled sub-network, which shares its weights (the
/// first layers, heads and units: views of the full tensors, never copies), with
///
///     loss = (CE_super + CE_sub) / 2 + T²·KL(softmax(z_super/T) detached || softmax(z_sub/T))
///
/// every term a batch mean, T = 5. The full network's pass runs first and is propagated at
/// once (its gradient is half its cross-entropy's: the distillation term does not reach it);
/// the sub-network's pass then adds half its cross-entropy's gradient and the distillation's.
/// Gradients add to what the parameters hold, so the caller zeroes them before and steps the
/// optimiser after, as for plain fine-tuning.
///
/// The sub-network's pass draws its own dropout masks, as its own forward in PyTorch would:
/// from the model's dropout seed mixed with a constant, at the same step, so a resumed run
/// repeats them.
public final class InstaTuneStep {
    public let model: BertClassifier
    public let temperature: Double
    private var teacher: [Float]
    private var gradient: [Float]
    private var labels: [Int32]

    public init(model: BertClassifier, temperature: Double = DistillationLoss.defaultTemperature) throws(HwnasError) {
        guard temperature > 0, temperature.isFinite else { throw HwnasError("InstaTune: temperature \(temperature) must be positive") }
        self.model = model
        self.temperature = temperature
        let logits = model.maxBatch * model.configuration.labels
        teacher = Array(repeating: 0, count: logits)
        gradient = Array(repeating: 0, count: logits)
        labels = Array(repeating: 0, count: model.maxBatch)
    }

    /// The dropout seed of the sub-network's pass.
    public static func subnetDropoutSeed(_ seed: UInt64) -> UInt64 {
        DropoutMask.key(seed: seed, step: .max, site: 0x5355_424E)
    }

    /// Adds the step's gradient for `input` (with its labels) at `step` with `subnet` as the
    /// sampled sub-network; returns the loss terms. The model is left with the full network
    /// active, whatever was active before.
    public func accumulate(_ input: TokenBatch, step: Int, subnet: SubnetShape) throws(HwnasError) -> InstaTuneLosses {
        let classes = model.configuration.labels
        guard input.labels.count == input.batch else {
            throw HwnasError("InstaTune: \(input.labels.count) labels for a batch of \(input.batch)")
        }
        for (i, label) in input.labels.enumerated() {
            guard (0..<Int32(classes)).contains(label) else {
                throw HwnasError("InstaTune: label \(label) of sequence \(i) is not in 0..<\(classes)")
            }
            labels[i] = label
        }
        let rows = input.batch, count = rows * classes
        // The sub-network is checked before any pass runs.
        try model.activate(subnet)
        model.activateAll()
        defer { model.activateAll() }

        // The full network: half its cross-entropy's gradient.
        let superLogits = try model.forward(input, training: true, step: step)
        for i in 0..<count { teacher[i] = superLogits[i] }
        let superLoss = crossEntropy(teacher, rows: rows, classes: classes, scale: 0.5)
        try backward()

        // The sub-network: half its cross-entropy's gradient plus the distillation's.
        try model.activate(subnet)
        let seed = model.dropoutSeed
        model.dropoutSeed = Self.subnetDropoutSeed(seed)
        defer { model.dropoutSeed = seed }
        let subLogits = Array(try model.forward(input, training: true, step: step))
        let subLoss = crossEntropy(subLogits, rows: rows, classes: classes, scale: 0.5)
        let distillation = subLogits.withUnsafeBufferPointer { student in
            teacher.withUnsafeBufferPointer { teacher in
                gradient.withUnsafeMutableBufferPointer { g in
                    DistillationLoss.loss(
                        student: student.baseAddress!, teacher: teacher.baseAddress!, rows: rows, classes: classes,
                        temperature: temperature, gradient: g.baseAddress!, accumulate: true)
                }
            }
        }
        try backward()
        return InstaTuneLosses(superCrossEntropy: superLoss, subCrossEntropy: subLoss, distillation: distillation)
    }

    /// The mean cross-entropy of `logits` on the step's labels; its gradient times `scale`
    /// into `gradient`.
    private func crossEntropy(_ logits: [Float], rows: Int, classes: Int, scale: Float) -> Float {
        let loss = logits.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer { y in
                gradient.withUnsafeMutableBufferPointer { g in
                    SoftmaxCrossEntropy.loss(logits: z.baseAddress!, labels: y.baseAddress!, rows: rows, classes: classes, gradient: g.baseAddress!)
                }
            }
        }
        for i in 0..<(rows * classes) { gradient[i] *= scale }
        return loss
    }

    private func backward() throws(HwnasError) {
        try gradient.withUnsafeBufferPointer { (g) throws(HwnasError) in try model.backward(logitGradient: g.baseAddress!) }
    }
}
