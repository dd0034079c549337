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

    /// Splits each update over its threads (nil: the caller's thread alone); the update is
    /// element by element, so the split does not change a bit of it.
    public let team: WorkerTeam?

    public init(parameters: ParameterStore, settings: AdamWSettings = AdamWSettings(), team: WorkerTeam? = nil) {
        self.parameters = parameters
        self.settings = settings
        self.team = team
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
    public func update(learningRate: Double) -> Double? {
        step += 1
        var clip: Float = 1
        var norm: Double?
        if let maxNorm = settings.maxGradientNorm {
            let total = parameters.gradientNorm()
            norm = total
            let coefficient = maxNorm / (total + 1e-6)
            if coefficient < 1 { clip = Float(coefficient) }
        }
        let s = settings
        let correction1 = 1 - Foundation.pow(s.beta1, Double(step))
        let correction2 = 1 - Foundation.pow(s.beta2, Double(step))
        let factors = Factors(
            clip: clip, beta1: Float(s.beta1), oneMinusBeta1: Float(1 - s.beta1),
            beta2: Float(s.beta2), oneMinusBeta2: Float(1 - s.beta2),
            stepSize: Float(learningRate / correction1), correction2Root: Float(correction2.squareRoot()),
            epsilon: Float(s.epsilon))
        let decayed = Float(1 - learningRate * s.weightDecay)
        let parts = team?.size ?? 1
        let body = { (part: Int) in
            for (tensor, decays) in zip(self.parameters.tensors, self.decays) {
                let range = WorkerTeam.range(part, of: parts, count: tensor.count)
                let offset = tensor.offset + range.lowerBound
                Self.update(
                    count: range.count, value: tensor.value + range.lowerBound, gradient: tensor.gradient + range.lowerBound,
                    m: self.firstMoment + offset, v: self.secondMoment + offset,
                    decay: decays ? decayed : 1, factors)
            }
        }
        if let team { team.run(body) } else { body(0) }
        return norm
    }

    /// The Float factors of one update.
    struct Factors {
        var clip: Float
        var beta1: Float, oneMinusBeta1: Float
        var beta2: Float, oneMinusBeta2: Float
        var stepSize: Float, correction2Root: Float, epsilon: Float
    }

    /// The update of one tensor: a plain loop the compiler vectorises (square root and
    /// division included).
    static func update(
        count: Int, value: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, decay: Float, _ f: Factors
    ) {
        let clip = f.clip, beta1 = f.beta1, oneMinusBeta1 = f.oneMinusBeta1, beta2 = f.beta2, oneMinusBeta2 = f.oneMinusBeta2
        let stepSize = f.stepSize, correction2Root = f.correction2Root, epsilon = f.epsilon
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
