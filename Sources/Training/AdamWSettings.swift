/// Hyper-parameters of `AdamW` other than the learning rate (which the schedule gives per step).
///
/// Defaults are PyTorch's `torch.optim.AdamW` (betas 0.9 and 0.999, epsilon 1e-8) with BERT
/// fine-tuning's weight decay of 0.01. Doubles, as PyTorch's are Python floats: the factors
/// the update applies (1 - β, 1 - lr·λ, lr/(1 - β1^t)) are formed in Double and rounded to
/// Float once. Gradient clipping is off by default, as in the reference run this engine is
/// compared with; `maxGradientNorm` turns on PyTorch's `clip_grad_norm_` (global L2 norm over
/// every gradient).
public struct AdamWSettings: Equatable, Codable, Sendable {
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    public var maxGradientNorm: Double?

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01, maxGradientNorm: Double? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.maxGradientNorm = maxGradientNorm
    }
}
