/// GELU in its exact form, x·Φ(x) = 0.5·x·(1 + erf(x/√2)), with its backward pass.
///
/// The forward overwrites its input (the pre-activation, which nothing else reads) with the
/// derivative gelu'(x) = Φ(x) + x·φ(x), formed from the same erf as the value: the backward
/// is then one multiplication, with no erf or exponential of its own.
public final class GELUOp {
    private var savedDerivative: UnsafePointer<Float>?
    private var savedCount = 0

    public init() {}

    /// y = gelu(x) on `count` values, and x = gelu'(x) for the backward, which reads it there
    /// (the caller leaves it unchanged until then); `y` must not be `x`.
    public func forward(_ x: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        precondition(y != x, "GELU: the output cannot overwrite the derivative the backward needs")
        savedDerivative = UnsafePointer(x)
        savedCount = count
        Elementwise.geluKeepingDerivative(x, into: y, count: count)
    }

    /// dx = dy ⊙ gelu'(x) for the values of the last forward; `dx` may be `dy`.
    public func backward(_ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        guard let derivative = savedDerivative else { preconditionFailure("GELU: backward before forward") }
        Elementwise.multiply(dy, by: derivative, into: dx, count: savedCount)
    }
}
