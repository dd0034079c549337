/// One activation as a type, so that loops are specialised per activation at compile time.
protocol ElementwiseFunction {
    static func apply(_ x: Float8) -> Float8
}

enum Identity: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { x }
}

enum ReLU: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.relu(x) }
}

enum ReLU6: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.relu6(x) }
}

enum HardSwish: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.hardSwish(x) }
}

enum HardSigmoid: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { Vector.hardSigmoid(x) }
}

enum Tanh: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { FastMath.tanh(x) }
}

enum GELU: ElementwiseFunction {
    @inline(__always) static func apply(_ x: Float8) -> Float8 { FastMath.gelu(x) }
}
