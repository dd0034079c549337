import Foundation
import Support

/// AdamW (Loshchilov and Hutter): Adam with bias correction and weight decay decoupled from the
/// gradient, step for step as PyTorch's `torch.optim.AdamW` computes it:
///
///     p ← p·(1 - lr·λ)
///     m ← β1·m + (1 - β1)·g,  v ← β2·v + (1 - β2)·g²
///     p ← p - lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)
///
/// With the usual BERT grouping: biases and LayerNorm weights get no weight decay (Hugging
/// Face's `no_decay = ["bias", "LayerNorm.weight"]`), everything else does (embeddings
/// included). The moments are laid out as the parameters (one block each, the same offsets),
/// so an update is one pass per tensor over four arrays.
public final class AdamW {
    public let parameters: ParameterStore
    public let settings: AdamWSettings
    /// Updates done so far (PyTorch's `state["step"]`); a resumed run sets it.
    public var step = 0
    /// m, laid out as `parameters.values`.
    public let firstMoment: UnsafeMutablePointer<Float>
    /// v, laid out as `parameters.values`.
    public let secondMoment: UnsafeMutablePointer<Float>
    /// Per tensor of `parameters`, whether it decays.
    public let decays: [Bool]

    public init(parameters: ParameterStore, settings: AdamWSettings = AdamWSettings()) {
        self.parameters = parameters
        self.settings = settings
        firstMoment = ParameterStore.allocate(parameters.capacity)
        secondMoment = ParameterStore.allocate(parameters.capacity)
        decays = parameters.tensors.map { !Self.isExemptFromDecay($0.name) }
    }

    deinit {
        UnsafeMutableRawPointer(firstMoment).deallocate()
        UnsafeMutableRawPointer(secondMoment).deallocate()
    }

    /// BERT's grouping: no weight decay on biases and LayerNorm weights.
    public static func isExemptFromDecay(_ name: String) -> Bool {
        name.hasSuffix("bias") || name.contains("LayerNorm.weight")
    }

    /// The moments as named tensors (`<name>.exp_avg`, `<name>.exp_avg_sq`, PyTorch's state
    /// names), for a checkpoint of the optimiser.
    public var namedState: [(name: String, shape: [Int], pointer: UnsafeMutablePointer<Float>)] {
        var state: [(name: String, shape: [Int], pointer: UnsafeMutablePointer<Float>)] = []
        for tensor in parameters.tensors {
            state.append((tensor.name + ".exp_avg", tensor.shape, firstMoment + tensor.offset))
            state.append((tensor.name + ".exp_avg_sq", tensor.shape, secondMoment + tensor.offset))
        }
        return state
    }

    /// One update with `learningRate`, from the gradients as they are. Returns the global
    /// gradient norm when clipping is on (the gradients are then scaled by
    /// max_norm/(norm + 1e-6) when that is below 1, as `clip_grad_norm_` does), else nil.
    @discardableResult
    public func update(learningRate: Float) -> Double? {
        step += 1
        var clip: Float = 1
        var norm: Double?
        if let maxNorm = settings.maxGradientNorm {
            let total = parameters.gradientNorm()
            norm = total
            let coefficient = Double(maxNorm) / (total + 1e-6)
            if coefficient < 1 { clip = Float(coefficient) }
        }
        let lr = Double(learningRate)
        let beta1 = settings.beta1, beta2 = settings.beta2
        let correction1 = 1 - Foundation.pow(Double(beta1), Double(step))
        let correction2 = 1 - Foundation.pow(Double(beta2), Double(step))
        let stepSize = Float(lr / correction1)
        let correction2Root = Float(correction2.squareRoot())
        let decayed = Float(1 - lr * Double(settings.weightDecay))
        for (tensor, decays) in zip(parameters.tensors, decays) {
            Self.update(
                count: tensor.count, value: tensor.value, gradient: tensor.gradient,
                m: firstMoment + tensor.offset, v: secondMoment + tensor.offset,
                clip: clip, decay: decays ? decayed : 1, beta1: beta1, beta2: beta2,
                stepSize: stepSize, correction2Root: correction2Root, epsilon: settings.epsilon)
        }
        return norm
    }

    /// The update of one tensor: a plain loop the compiler vectorises (square root and
    /// division included).
    static func update(
        count: Int, value: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        clip: Float, decay: Float, beta1: Float, beta2: Float, stepSize: Float, correction2Root: Float, epsilon: Float
    ) {
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
        for i in 0..<count {
            let g = gradient[i] * clip
            let m1 = m[i] * beta1 + oneMinusBeta1 * g
            let v1 = v[i] * beta2 + oneMinusBeta2 * g * g
            m[i] = m1
            v[i] = v1
            let denominator = v1.squareRoot() / correction2Root + epsilon
            value[i] = value[i] * decay - stepSize * m1 / denominator
        }
    }
}
