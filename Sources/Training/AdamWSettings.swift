/// Hyper-parameters of `AdamW` other than the learning rate (which the schedule gives per step).
///
/// Defaults are PyTorch's `torch.optim.AdamW` (betas 0.9 and 0.999, epsilon 1e-8) with BERT
/// fine-tuning's weight decay of 0.01. Gradient clipping is off by default, as in the reference
/// run this engine is compared with; `maxGradientNorm` turns on PyTorch's
/// `clip_grad_norm_` (global L2 norm over every gradient).
public struct AdamWSettings: Equatable, Codable, Sendable {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public var maxGradientNorm: Float?

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01, maxGradientNorm: Float? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.maxGradientNorm = maxGradientNorm
    }
}
