/// One activation as a type, so that loops are specialised per activation at compile time.
/// Each has an eight-lane (AVX2) and a sixteen-lane (AVX-512) form with the same arithmetic.
protocol ElementwiseFunction {
    static func apply(_ x: Float8) -> Float8
    static func apply(_ x: Float16x) -> Float16x
}

enum Identity: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { x }
    @inline(__always) static func apply(_ x: Float16x) -> Float16x { x }
}

enum ReLU: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.relu(x) }
    @inline(__always) static func apply(_ x: Float16x) -> Float16x { Vector.relu(x) }
}

enum ReLU6: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.relu6(x) }
    @inline(__always) static func apply(_ x: Float16x) -> Float16x { Vector.relu6(x) }
}

enum HardSwish: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.hardSwish(x) }
    @inline(__always) static func apply(_ x: Float16x) -> Float16x { Vector.hardSwish(x) }
}

enum HardSigmoid: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.hardSigmoid(x) }
    @inline(__always) static func apply(_ x: Float16x) -> Float16x { Vector.hardSigmoid(x) }
}

enum Tanh: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { FastMath.tanh(x) }
    @inline(__always) static func apply(_ x: Float16x) -> Float16x { FastMath.tanh(x) }
}

enum GELU: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { FastMath.gelu(x) }
    @inline(__always) static func apply(_ x: Float16x) -> Float16x { FastMath.gelu(x) }
}
