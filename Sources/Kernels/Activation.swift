/// The element-wise non-linearities of the three super-networks, applied in place.
///
/// Ops take an `Activation` to fuse it into their epilogue (applied to a block of output while
/// it is still in cache) rather than running a separate pass over memory. The `switch` is taken
/// once per block, never per element: each case runs its own specialised vector loop.
public enum Activation: String, Sendable, Hashable, CaseIterable, Codable {
    case identity
    case relu
    case relu6
    /// h-swish, x·relu6(x + 3)/6 (MobileNetV3).
    case hardSwish
    /// h-sigmoid, relu6(x + 3)/6 (MobileNetV3 squeeze-excite gate).
    case hardSigmoid
    case tanh
    /// GELU in its exact erf form (BERT, ViT).
    case gelu

    /// The activation of eight values (dispatches per call: use `apply` in loops).
    public func callAsFunction(_ x: Float8) -> Float8 {
        switch self {
        case .identity: x
        case .relu: Vector.relu(x)
        case .relu6: Vector.relu6(x)
        case .hardSwish: Vector.hardSwish(x)
        case .hardSigmoid: Vector.hardSigmoid(x)
        case .tanh: FastMath.tanh(x)
        case .gelu: FastMath.gelu(x)
        }
    }

    /// The activation of sixteen values (dispatches per call: use `apply` in loops).
    public func callAsFunction(_ x: Float16x) -> Float16x {
        switch self {
        case .identity: x
        case .relu: Vector.relu(x)
        case .relu6: Vector.relu6(x)
        case .hardSwish: Vector.hardSwish(x)
        case .hardSigmoid: Vector.hardSigmoid(x)
        case .tanh: FastMath.tanh(x)
        case .gelu: FastMath.gelu(x)
        }
    }

    /// The activation of one value, by the same vector code (for references and tests).
    public func callAsFunction(_ x: Float) -> Float {
        callAsFunction(Float8(repeating: x))[0]
    }

    /// Applies the activation to every element of `tensor`.
    public func apply(_ tensor: Tensor) {
        apply(to: tensor.pointer, count: tensor.count)
    }

    /// Applies the activation to `count` contiguous values, with the vectors of
    /// `KernelDispatch.variant`.
    public func apply(to pointer: UnsafeMutablePointer<Float>, count: Int) {
        if self == .identity { return }
        apply(to: pointer, count: count, variant: KernelDispatch.variant)
    }

    /// Applies the activation with the vectors of `variant` (kernels that apply it per row read
    /// the variant once per call and pass it here).
    public func apply(to pointer: UnsafeMutablePointer<Float>, count: Int, variant: KernelVariant) {
        switch variant {
        case .avx2:
            switch self {
            case .identity: return
            case .relu: Self.map(ReLU.self, pointer, count)
            case .relu6: Self.map(ReLU6.self, pointer, count)
            case .hardSwish: Self.map(HardSwish.self, pointer, count)
            case .hardSigmoid: Self.map(HardSigmoid.self, pointer, count)
            case .tanh: Self.map(Tanh.self, pointer, count)
            case .gelu: Self.map(GELU.self, pointer, count)
            }
        case .avx512:
            switch self {
            case .identity: return
            case .relu: Self.map16(ReLU.self, pointer, count)
            case .relu6: Self.map16(ReLU6.self, pointer, count)
            case .hardSwish: Self.map16(HardSwish.self, pointer, count)
            case .hardSigmoid: Self.map16(HardSigmoid.self, pointer, count)
            case .tanh: Self.map16(Tanh.self, pointer, count)
            case .gelu: Self.map16(GELU.self, pointer, count)
            }
        }
    }

    /// The GEMM / convolution epilogue on a block of `rows` x `columns` at stride `ldc`:
    /// c = activation(c + bias[column]) (+ residual, at stride `ldr`).
    func epilogue(
        _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
        bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, ldr: Int
    ) {
        switch self {
        case .identity: Self.epilogue(Identity.self, c, ldc, rows, columns, bias, residual, ldr)
        case .relu: Self.epilogue(ReLU.self, c, ldc, rows, columns, bias, residual, ldr)
        case .relu6: Self.epilogue(ReLU6.self, c, ldc, rows, columns, bias, residual, ldr)
        case .hardSwish: Self.epilogue(HardSwish.self, c, ldc, rows, columns, bias, residual, ldr)
        case .hardSigmoid: Self.epilogue(HardSigmoid.self, c, ldc, rows, columns, bias, residual, ldr)
        case .tanh: Self.epilogue(Tanh.self, c, ldc, rows, columns, bias, residual, ldr)
        case .gelu: Self.epilogue(GELU.self, c, ldc, rows, columns, bias, residual, ldr)
        }
    }

    /// `epilogue` on sixteen-lane vectors (AVX-512), with the same arithmetic per element.
    func epilogue16(
        _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
        bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, ldr: Int
    ) {
        switch self {
        case .identity: Self.epilogue16(Identity.self, c, ldc, rows, columns, bias, residual, ldr)
        case .relu: Self.epilogue16(ReLU.self, c, ldc, rows, columns, bias, residual, ldr)
        case .relu6: Self.epilogue16(ReLU6.self, c, ldc, rows, columns, bias, residual, ldr)
        case .hardSwish: Self.epilogue16(HardSwish.self, c, ldc, rows, columns, bias, residual, ldr)
        case .hardSigmoid: Self.epilogue16(HardSigmoid.self, c, ldc, rows, columns, bias, residual, ldr)
        case .tanh: Self.epilogue16(Tanh.self, c, ldc, rows, columns, bias, residual, ldr)
        case .gelu: Self.epilogue16(GELU.self, c, ldc, rows, columns, bias, residual, ldr)
        }
    }

    /// Runs `F` over `count` values; the tail goes through one padded register so that every
    /// element sees exactly the same arithmetic. One specialisation per function, kept out of
    /// line: with all seven inlined into one caller the optimiser stops inlining the math.
    @inline(never)
    static func map<F: ElementwiseFunction>(_: F.Type, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 16 <= count {
            let a = F.apply(Vector.load(p + i))
            let b = F.apply(Vector.load(p + i + 8))
            Vector.store(a, p + i)
            Vector.store(b, p + i + 8)
            i += 16
        }
        while i + 8 <= count {
            Vector.store(F.apply(Vector.load(p + i)), p + i)
            i += 8
        }
        if i < count {
            var tail = Float8.zero
            for lane in 0..<(count - i) { tail[lane] = p[i + lane] }
            tail = F.apply(tail)
            for lane in 0..<(count - i) { p[i + lane] = tail[lane] }
        }
    }

    @inline(never)
    static func epilogue<F: ElementwiseFunction>(
        _: F.Type, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ rows: Int, _ columns: Int,
        _ bias: UnsafePointer<Float>, _ residual: UnsafePointer<Float>?, _ ldr: Int
    ) {
        let vectorEnd = columns & ~7
        for row in 0..<rows {
            let out = c + row * ldc
            var j = 0
            if let residual {
                let add = residual + row * ldr
                while j < vectorEnd {
                    Vector.store(F.apply(Vector.load(out + j) + Vector.load(bias + j)) + Vector.load(add + j), out + j)
                    j += 8
                }
                if j < columns {
                    var tail = Float8.zero
                    for lane in 0..<(columns - j) { tail[lane] = out[j + lane] + bias[j + lane] }
                    tail = F.apply(tail)
                    for lane in 0..<(columns - j) { out[j + lane] = tail[lane] + add[j + lane] }
                }
            } else {
                while j < vectorEnd {
                    Vector.store(F.apply(Vector.load(out + j) + Vector.load(bias + j)), out + j)
                    j += 8
                }
                if j < columns {
                    var tail = Float8.zero
                    for lane in 0..<(columns - j) { tail[lane] = out[j + lane] + bias[j + lane] }
                    tail = F.apply(tail)
                    for lane in 0..<(columns - j) { out[j + lane] = tail[lane] }
                }
            }
        }
    }

    /// `map` on sixteen lanes: two registers per step, then one, then one padded tail register.
    @inline(never)
    static func map16<F: ElementwiseFunction>(_: F.Type, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 32 <= count {
            let a = F.apply(Vector.load16(p + i))
            let b = F.apply(Vector.load16(p + i + 16))
            Vector.store(a, p + i)
            Vector.store(b, p + i + 16)
            i += 32
        }
        while i + 16 <= count {
            Vector.store(F.apply(Vector.load16(p + i)), p + i)
            i += 16
        }
        if i < count {
            let tail = F.apply(Vector.loadPartial16(p + i, count: count - i))
            Vector.storePartial(tail, p + i, count: count - i)
        }
    }

    @inline(never)
    static func epilogue16<F: ElementwiseFunction>(
        _: F.Type, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ rows: Int, _ columns: Int,
        _ bias: UnsafePointer<Float>, _ residual: UnsafePointer<Float>?, _ ldr: Int
    ) {
        let vectorEnd = columns & ~15
        let left = columns - vectorEnd
        for row in 0..<rows {
            let out = c + row * ldc
            var j = 0
            if let residual {
                let add = residual + row * ldr
                while j < vectorEnd {
                    Vector.store(F.apply(Vector.load16(out + j) + Vector.load16(bias + j)) + Vector.load16(add + j), out + j)
                    j += 16
                }
                if left > 0 {
                    let sum = Vector.loadPartial16(out + j, count: left) + Vector.loadPartial16(bias + j, count: left)
                    let tail = F.apply(sum) + Vector.loadPartial16(add + j, count: left)
                    Vector.storePartial(tail, out + j, count: left)
                }
            } else {
                while j < vectorEnd {
                    Vector.store(F.apply(Vector.load16(out + j) + Vector.load16(bias + j)), out + j)
                    j += 16
                }
                if left > 0 {
                    let sum = Vector.loadPartial16(out + j, count: left) + Vector.loadPartial16(bias + j, count: left)
                    Vector.storePartial(F.apply(sum), out + j, count: left)
                }
            }
        }
    }
}
