/// GELU in its exact form, x·Φ(x) = 0.5·x·(1 + erf(x/√2)), with its backward pass.
///
/// The forward keeps a pointer to its input (the pre-activation, which the caller keeps
/// unchanged until the backward); the backward multiplies by gelu'(x) = Φ(x) + x·φ(x).
public final class GELUOp {
    private var savedInput: UnsafePointer<Float>?
    private var savedCount = 0

    public init() {}

    /// y = gelu(x) on `count` values; `y` must not be `x` (the backward reads x).
    public func forward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        precondition(UnsafePointer(y) != x, "GELU: the output cannot overwrite the input the backward needs")
        savedInput = x
        savedCount = count
        Elementwise.gelu(x, into: y, count: count)
    }

    /// dx = dy ⊙ gelu'(x) for the values of the last forward; `dx` may be `dy`.
    public func backward(_ dy: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        guard let x = savedInput else { preconditionFailure("GELU: backward before forward") }
        Elementwise.geluBackward(dy, input: x, into: dx, count: savedCount)
    }
}
