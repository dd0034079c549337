import Foundation
import Kernels
import Support
import Testing
import Training

@Suite struct InstaTuneStepTests {
    /// Hidden 12, 3 heads of 4, intermediate 12, 3 layers: room for a sub-network that drops a
    /// layer, heads and units.
    static let configuration = BertConfiguration(
        vocabularySize: 20, hiddenSize: 12, layers: 3, heads: 3, intermediateSize: 12, maxPositions: 6,
        typeVocabularySize: 2, labels: 2, layerNormEpsilon: 1e-12, hiddenDropout: 0.1, attentionDropout: 0.1)
    static let subnet = SubnetShape(layers: 2, heads: [1, 2], intermediate: [5, 5])

    static func model(seed: UInt64, configuration: BertConfiguration = configuration) throws -> BertClassifier {
        let model = try BertClassifier(configuration: configuration, maxBatch: 4, maxLength: 5, seed: seed)
        Fixtures.randomize(model.parameters, seed: seed, scale: 0.5)
        return model
    }

    /// The InstaTune loss in Double: the full network's and the sub-network's cross-entropy
    /// halved, plus the distillation term against `teacher` (fixed: detached).
    static func referenceLoss(
        full: ReferenceBert, sub: ReferenceBert, input: TokenBatch, teacher: [Double], temperature: Double,
        fullKey: (DropoutSite) -> UInt64?, subKey: (DropoutSite) -> UInt64?
    ) -> Double {
        let classes = full.configuration.labels
        let subLogits = sub.logits(input, key: subKey)
        let ceFull = Reference.crossEntropy(full.logits(input, key: fullKey), labels: input.labels, classes: classes)
        let ceSub = Reference.crossEntropy(subLogits, labels: input.labels, classes: classes)
        let kd = DistillationLossTests.reference(student: subLogits, teacher: teacher, rows: input.batch, classes: classes, temperature: temperature)
        return (ceFull + ceSub) / 2 + kd
    }

    /// Every parameter's gradient of the step against central differences of the Double
    /// InstaTune loss (teacher held at its value: the detach), dropout on in both passes.
    @Test func gradientsMatchFiniteDifferencesOfTheInstaTuneLoss() throws {
        let model = try Self.model(seed: 11)
        let input = try BertClassifierTests.batch()
        let step = 4
        let instaTune = try InstaTuneStep(model: model)
        model.zeroGradients()
        let losses = try instaTune.accumulate(input, step: step, subnet: Self.subnet)
        #expect(model.activeShape == SubnetShape(full: Self.configuration), "the full network is active after the step")

        let full = ReferenceBert(model)
        try model.activate(Self.subnet)
        let sub = ReferenceBert(model)
        model.activateAll()
        let seed = model.dropoutSeed
        let fullKey: (DropoutSite) -> UInt64? = { model.dropoutKey($0, step: step) }
        let subSeed = InstaTuneStep.subnetDropoutSeed(seed)
        let subKey: (DropoutSite) -> UInt64? = { DropoutMask.key(seed: subSeed, step: UInt64(step), site: $0.index) }
        #expect(model.dropoutSeed == seed, "the step restores the dropout seed")
        let teacher = full.logits(input, key: fullKey)
        let classes = Self.configuration.labels
        let subLogits = sub.logits(input, key: subKey)
        let expectedSuper = Reference.crossEntropy(teacher, labels: input.labels, classes: classes)
        let expectedSub = Reference.crossEntropy(subLogits, labels: input.labels, classes: classes)
        let expectedKD = DistillationLossTests.reference(student: subLogits, teacher: teacher, rows: input.batch, classes: classes, temperature: 5)
        #expect(abs(Double(losses.superCrossEntropy) - expectedSuper) < 1e-5 * max(1, expectedSuper))
        #expect(abs(Double(losses.subCrossEntropy) - expectedSub) < 1e-5 * max(1, expectedSub))
        #expect(abs(Double(losses.distillation) - expectedKD) < 1e-5 * max(1e-2, expectedKD))
        #expect(expectedKD > 1e-4, "the sub-network's logits differ from the full network's")
        #expect(expectedSuper != expectedSub)
        #expect(abs(losses.total - ((losses.superCrossEntropy + losses.subCrossEntropy) / 2 + losses.distillation)) < 1e-6)

        var checks: [(name: String, actual: [Float], expected: [Double])] = []
        for (position, tensor) in model.parameters.tensors.enumerated() {
            var indices = Fixtures.sample(6, below: tensor.count, seed: UInt64(position))
            if tensor.name.hasSuffix("word_embeddings.weight") {
                let h = tensor.columns
                indices = [1 * h, 7 * h + 3, 12 * h + 5, 19 * h + 7, 9 * h + 1, 4 * h + 2]
            }
            let point = full.values[tensor.name]!
            var changedFull = full, changedSub = sub
            let expected = Fixtures.centralDifferences(point, at: indices, step: 1e-4) { values in
                changedFull.values[tensor.name] = values
                changedSub.values[tensor.name] = values
                return Self.referenceLoss(full: changedFull, sub: changedSub, input: input, teacher: teacher, temperature: 5,
                                          fullKey: fullKey, subKey: subKey)
            }
            checks.append((tensor.name, indices.map { tensor.gradient[$0] }, expected))
        }
        let largest = checks.flatMap(\.expected).reduce(0) { max($0, abs($1)) }
        #expect(largest > 1e-3)
        for check in checks {
            Fixtures.expectClose(check.actual, check.expected, tolerance: 2e-3, floor: 1e-2, absolute: 1e-4 * largest, check.name)
        }
        // The third layer runs in the full network only: its gradient is half the full
        // network's cross-entropy gradient, which a run of that loss alone reproduces.
        let third = model.parameters["bert.encoder.layer.2.intermediate.dense.weight"]!
        let instaTuneThird = Fixtures.gradient(third)
        model.zeroGradients()
        _ = try model.forwardBackward(input, step: step)
        Fixtures.expectClose(instaTuneThird, Fixtures.gradient(third).map { Double($0) / 2 }, tolerance: 1e-5)
    }

    /// Weight sharing is exact: one AdamW step of the super-network with a sub-network active
    /// leaves the sub-network's slices where one step of that sub-network trained alone leaves
    /// its weights, and everything outside the slices only decayed.
    ///
    /// The network alone has the sub-network's layers and intermediate units as its own, full
    /// tensors (a configuration of 2 layers of 5 units); its attention keeps every head's slot
    /// of the hidden width, the heads the sub-network drops set to zero (Q, K, V rows and output
    /// columns), which makes them contribute exactly nothing and get exactly no gradient, so it
    /// computes the sub-network with none of the slicing code.
    @Test func slicingEqualsTrainingTheSlicedNetworkAlone() throws {
        let superNetwork = try Self.model(seed: 21)
        let sub = Self.subnet
        var aloneConfiguration = Self.configuration
        aloneConfiguration.layers = sub.layers
        aloneConfiguration.intermediateSize = 5
        let alone = try BertClassifier(configuration: aloneConfiguration, maxBatch: 4, maxLength: 5, seed: 99)
        let d = Self.configuration.headDimension
        for tensor in alone.parameters.tensors {
            let source = superNetwork.parameters[tensor.name]!
            tensor.value.update(repeating: 0, count: tensor.count)
            let layer = tensor.name.hasPrefix("bert.encoder.layer.") ? Int(tensor.name.split(separator: ".")[3])! : nil
            let kept = layer.map { sub.heads[$0] * d } ?? 0
            for r in 0..<tensor.rows {
                for c in 0..<tensor.columns {
                    let name = tensor.name
                    let live: Bool
                    if name.contains("attention.self.") {
                        live = r < kept   // rows of the kept heads (weights and biases)
                    } else if name.contains("attention.output.dense.weight") {
                        live = c < kept   // columns of the kept heads
                    } else {
                        live = true
                    }
                    if live { tensor.value[r * tensor.columns + c] = source.value[r * source.columns + c] }
                }
            }
        }
        alone.dropoutSeed = superNetwork.dropoutSeed
        let before = Dictionary(uniqueKeysWithValues: superNetwork.parameters.tensors.map { ($0.name, Fixtures.values($0)) })
        let input = try BertClassifierTests.batch()
        let step = 2, rate = 1e-2
        // Epsilon 1e-3 makes the first update a smooth function of the gradient (at 1e-8 it is
        // lr·sign(g) wherever |g| is tiny, which float rounding can flip).
        let settings = AdamWSettings(epsilon: 1e-3, weightDecay: 0.01)

        try superNetwork.activate(sub)
        superNetwork.zeroGradients()
        let superLoss = try superNetwork.forwardBackward(input, step: step)
        let superGradients = Dictionary(uniqueKeysWithValues: superNetwork.parameters.tensors.map { ($0.name, Fixtures.gradient($0)) })
        AdamW(parameters: superNetwork.parameters, settings: settings).update(learningRate: rate)
        alone.zeroGradients()
        let aloneLoss = try alone.forwardBackward(input, step: step)
        let aloneGradients = Dictionary(uniqueKeysWithValues: alone.parameters.tensors.map { ($0.name, Fixtures.gradient($0)) })
        AdamW(parameters: alone.parameters, settings: settings).update(learningRate: rate)
        #expect(abs(superLoss - aloneLoss) <= 1e-6 * max(1, abs(aloneLoss)), "losses \(superLoss) and \(aloneLoss)")

        var compared = 0, zeroedStayedZero = 0, moved = 0
        for tensor in alone.parameters.tensors {
            let source = superNetwork.parameters[tensor.name]!
            let largest = aloneGradients[tensor.name]!.reduce(0) { max($0, abs($1)) }
            for r in 0..<tensor.rows {
                for c in 0..<tensor.columns {
                    let i = r * tensor.columns + c, j = r * source.columns + c
                    let name = tensor.name
                    let kept = name.hasPrefix("bert.encoder.layer.") ? sub.heads[Int(name.split(separator: ".")[3])!] * d : 0
                    let zeroed = (name.contains("attention.self.") && r >= kept) || (name.contains("attention.output.dense.weight") && c >= kept)
                    if zeroed {
                        // A head the network alone does not have: nothing reached it.
                        #expect(tensor.value[i] == 0 && aloneGradients[name]![i] == 0, "\(name)[\(r), \(c)]")
                        zeroedStayedZero += 1
                        continue
                    }
                    let a = Double(tensor.value[i]), s = Double(source.value[j])
                    #expect(abs(a - s) <= 1e-6 * max(1, abs(s)), "\(name)[\(r), \(c)]: \(s) sliced, \(a) alone")
                    let ga = Double(aloneGradients[name]![i]), gs = Double(superGradients[name]![j])
                    #expect(abs(ga - gs) <= 1e-4 * Double(largest) + 1e-7, "\(name)[\(r), \(c)] gradient: \(gs) sliced, \(ga) alone")
                    if a != before[name]![j] { moved += 1 }
                    compared += 1
                }
            }
        }
        #expect(compared > 1_000 && zeroedStayedZero > 100 && moved > compared / 2, "\(compared) compared, \(zeroedStayedZero) zero, \(moved) moved")

        // Outside the slices the super-network's weights only decayed (AdamW's decoupled decay
        // on weights that got no gradient), and their gradients are exactly 0.
        let decay = Float(1 - rate * settings.weightDecay)
        let optimizer = AdamW(parameters: superNetwork.parameters)
        for (tensor, decays) in zip(superNetwork.parameters.tensors, optimizer.decays) {
            let name = tensor.name
            guard name.hasPrefix("bert.encoder.layer.") else { continue }
            let layer = Int(name.split(separator: ".")[3])!
            let kept = layer < sub.layers ? sub.heads[layer] * d : 0
            let units = layer < sub.layers ? sub.intermediate[layer] : 0
            for r in 0..<tensor.rows {
                for c in 0..<tensor.columns {
                    let outside: Bool
                    if layer >= sub.layers {
                        outside = true
                    } else if name.contains("attention.self.") {
                        outside = r >= kept
                    } else if name.contains("attention.output.dense.weight") {
                        outside = c >= kept
                    } else if name.contains("intermediate.dense") {
                        outside = r >= units
                    } else if name.contains("output.dense.weight") && !name.contains("attention") {
                        outside = c >= units
                    } else {
                        outside = false
                    }
                    guard outside else { continue }
                    let i = r * tensor.columns + c
                    #expect(superGradients[name]![i] == 0, "\(name)[\(r), \(c)] got a gradient")
                    let original = Float(before[name]![i])
                    #expect(tensor.value[i] == (decays ? original * decay : original), "\(name)[\(r), \(c)]")
                }
            }
        }
    }

    /// A sub-network's FLOPs are the full count's formula over its active parts: the full shape
    /// gives the full count; dropping layers, heads and units lowers it by their share.
    @Test func subnetworkFlopsFollowTheActiveParts() {
        let c = BertConfiguration.miniLML6H384
        let full = BertClassifier.trainingFlops(c, batch: 32, length: 40)
        #expect(BertClassifier.trainingFlops(c, subnet: SubnetShape(full: c), batch: 32, length: 40) == full)
        // One layer of 4 heads (128 wide) and 384 units, by hand.
        let h = 384.0, tokens = 32.0 * 40
        let expected = 6 * (4 * h * 128 + 2 * h * 384) * tokens + 6 * (h * h + h * 2) * 32 + 12 * 32 * 1600 * 128
        let small = BertClassifier.trainingFlops(c, subnet: SubnetShape(layers: 1, heads: [4], intermediate: [384]), batch: 32, length: 40)
        #expect(abs(small - expected) <= 1e-9 * expected)
        #expect(small < full / 6)
    }

    /// A bad label or sub-network is refused before any pass; the model is left as it was.
    @Test func badInputIsRefused() throws {
        let model = try Self.model(seed: 31)
        let step = try InstaTuneStep(model: model)
        let input = try BertClassifierTests.batch()
        Fixtures.expectError("heads") { _ = try step.accumulate(input, step: 0, subnet: SubnetShape(layers: 1, heads: [4], intermediate: [5])) }
        Fixtures.expectError("3 layers") { _ = try step.accumulate(input, step: 0, subnet: SubnetShape(layers: 4, heads: [1, 1, 1, 1], intermediate: [5, 5, 5, 5])) }
        let unlabelled = try TokenBatch(batch: 3, length: 5, ids: input.ids, tokenTypes: input.tokenTypes, attentionMask: input.attentionMask)
        Fixtures.expectError("labels") { _ = try step.accumulate(unlabelled, step: 0, subnet: Self.subnet) }
        #expect(model.activeShape == SubnetShape(full: Self.configuration))
        Fixtures.expectError("temperature") { _ = try InstaTuneStep(model: model, temperature: 0) }
    }
}
