import Support

/// Dense k x k convolution over NHWC with stride, "same" padding k/2, bias (folded batch norm)
/// and fused activation: the MobileNetV3 stem (3x3, stride 2, 3 -> 16 channels).
///
/// Two algorithms, because which is faster depends on the shape: `direct` keeps a register tile
/// of 4 output pixels x 16 output channels and broadcasts each input value into it (no copies;
/// the stem's k²·Cin = 27 is far too short a reduction for sgemm to reach speed); `im2col`
/// copies each image's windows into a [Ho·Wo, k²·Cin] matrix and multiplies it by the weights
/// with sgemm (better when k²·Cin and Cout are large). kernel-bench measures both; `direct` is
/// the default. The im2col scratch is sized at construction for one image of the given extent.
public final class Convolution: @unchecked Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case direct
        case im2col
    }

    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let activation: Activation
    public let algorithm: Algorithm
    /// Input extent the layer was built for.
    public let height: Int
    public let width: Int
    /// [kernelSize, kernelSize, inChannels, outChannels] (HWIO).
    public let weight: Tensor
    /// [outChannels].
    public let bias: Tensor
    public var padding: Int { kernelSize / 2 }
    public var outHeight: Int { (height + stride - 1) / stride }
    public var outWidth: Int { (width + stride - 1) / stride }

    let columns: Tensor?

    /// Weights and bias uniform in ±1/√(k²·Cin), from `seed`, for inputs of `height` x `width`.
    public convenience init(
        inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1,
        activation: Activation = .identity, height: Int, width: Int,
        algorithm: Algorithm = .direct, seed: UInt64
    ) {
        var generator = SeededGenerator(seed: seed)
        let fanIn = kernelSize * kernelSize * inChannels
        let scale = 1 / Float(fanIn).squareRoot()
        let weight = (0..<(fanIn * outChannels)).map { _ in generator.nextSymmetricFloat() * scale }
        let bias = (0..<outChannels).map { _ in generator.nextSymmetricFloat() * scale }
        try! self.init(
            inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
            weight: weight, bias: bias, activation: activation, height: height, width: width,
            algorithm: algorithm)
    }

    /// Explicit weights [k, k, Cin, Cout] (PyTorch's [Cout, Cin, k, k] permuted) and bias [Cout].
    public init(
        inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1,
        weight: [Float], bias: [Float], activation: Activation = .identity,
        height: Int, width: Int, algorithm: Algorithm = .direct
    ) throws(HwnasError) {
        guard inChannels > 0, outChannels > 0, kernelSize > 0, kernelSize % 2 == 1, stride > 0,
              height > 0, width > 0 else {
            throw HwnasError("Convolution: \(inChannels) -> \(outChannels) channels, kernel \(kernelSize), stride \(stride), input \(height)x\(width); the kernel must be odd")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.activation = activation
        self.algorithm = algorithm
        self.height = height
        self.width = width
        self.weight = try Tensor(shape: [kernelSize, kernelSize, inChannels, outChannels], values: weight)
        self.bias = try Tensor(shape: [outChannels], values: bias)
        let outPixels = ((height + stride - 1) / stride) * ((width + stride - 1) / stride)
        columns = algorithm == .im2col
            ? Tensor(shape: [outPixels, kernelSize * kernelSize * inChannels]) : nil
    }

    /// y = activation(conv(x) + bias); `x` is [N, height, width, Cin], `y` [N, Ho, Wo, Cout].
    public func callAsFunction(_ x: Tensor, _ y: Tensor) {
        precondition(x.shape.count == 4 && Array(x.shape[1...]) == [height, width, inChannels],
                     "Convolution: input \(x.shape), built for [N, \(height), \(width), \(inChannels)]")
        let n = x.shape[0]
        precondition(y.shape == [n, outHeight, outWidth, outChannels],
                     "Convolution: output \(y.shape), expected \([n, outHeight, outWidth, outChannels])")
        let inImage = height * width * inChannels
        let outImage = outHeight * outWidth * outChannels
        for image in 0..<n {
            let input = x.pointer + image * inImage
            let output = y.pointer + image * outImage
            if let columns {
                im2col(input, columns.pointer)
                let reduction = kernelSize * kernelSize * inChannels
                Gemm.multiply(
                    m: outHeight * outWidth, n: outChannels, k: reduction,
                    a: columns.pointer, lda: reduction, b: weight.pointer, ldb: outChannels,
                    c: output, ldc: outChannels, bias: bias.pointer, activation: activation)
            } else {
                let direct = Direct(
                    weight: weight.pointer, bias: bias.pointer, height: height, width: width, outHeight: outHeight,
                    outWidth: outWidth, inChannels: inChannels, outChannels: outChannels, activation: activation)
                switch (kernelSize, stride, inChannels) {
                case (3, 2, 3): direct.run(Window<K3, S2>.self, Channels3.self, input, output)
                case (3, 1, _): direct.run(Window<K3, S1>.self, AnyChannels.self, input, output)
                case (3, 2, _): direct.run(Window<K3, S2>.self, AnyChannels.self, input, output)
                default: direct.run(input, output, k: kernelSize, s: stride, cin: inChannels)
                }
            }
        }
    }

    /// Copies every output pixel's window (zeros outside the image) into a row of `columns`.
    func im2col(_ x: UnsafePointer<Float>, _ columns: UnsafeMutablePointer<Float>) {
        let k = kernelSize, p = padding, cin = inChannels
        var row = columns
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                for ky in 0..<k {
                    let iy = oy * stride - p + ky
                    for kx in 0..<k {
                        let ix = ox * stride - p + kx
                        let target = row + (ky * k + kx) * cin
                        if iy >= 0 && iy < height && ix >= 0 && ix < width {
                            target.update(from: x + (iy * width + ix) * cin, count: cin)
                        } else {
                            target.update(repeating: 0, count: cin)
                        }
                    }
                }
                row += k * k * cin
            }
        }
    }

    /// The direct algorithm's kernels, in a struct because `@_transparent` (inlining that the
    /// optimiser cannot refuse) is not allowed on class members.
    struct Direct {
        let weight: UnsafePointer<Float>
        let bias: UnsafePointer<Float>
        let height, width, outHeight, outWidth, inChannels, outChannels: Int
        let activation: Activation

        /// One specialisation per window and input channel count (the stem's 3 channels unroll),
        /// each its own function so that the optimiser inlines the tile into it.
        @inline(never)
        func run<W: WindowShape, C: ChannelCount>(
            _: W.Type, _: C.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
        ) {
            run(x, y, k: W.size, s: W.stride, cin: C.value ?? inChannels)
        }

        /// One image by the direct algorithm.
        @_transparent
        func run(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, k: Int, s: Int, cin: Int) {
            let p = k / 2
            let cout = outChannels
            let interiorBegin = min(outWidth, (p + s - 1) / s)
            let lastInterior = width - k + p >= 0 ? (width - k + p) / s : -1
            let interiorEnd = max(interiorBegin, min(outWidth, lastInterior + 1))
            let w = weight
            let b = bias
            for oy in 0..<outHeight {
                let iy0 = oy * s - p
                let kyBegin = max(0, -iy0)
                let kyEnd = min(k, height - iy0)
                let inRow = x + (iy0 + kyBegin) * width * cin
                let wRow = w + kyBegin * k * cin * cout
                let outRow = y + oy * outWidth * cout
                let window = Geometry(rows: kyEnd - kyBegin, k: k, s: s, cin: cin, cout: cout, rowStride: width * cin)
                var cb = 0
                while cb + 8 <= cout {
                    let vectors = cb + 16 <= cout ? 2 : 1
                    var ox = 0
                    while ox < outWidth {
                        if ox >= interiorBegin && ox + 4 <= interiorEnd {
                            let input = inRow + (ox * s - p) * cin
                            if vectors == 2 {
                                Self.tile(input, wRow + cb, b + cb, outRow + ox * cout + cb, window, vectors: 2)
                            } else {
                                Self.tile(input, wRow + cb, b + cb, outRow + ox * cout + cb, window, vectors: 1)
                            }
                            ox += 4
                        } else {
                            pixel(inRow, wRow, b, outRow, ox: ox, cb: cb, window, vectors: vectors)
                            ox += 1
                        }
                    }
                    cb += 8 * vectors
                }
                if cb < cout {
                    for ox in 0..<outWidth {
                        let ix0 = ox * s - p
                        let kxBegin = max(0, -ix0), kxEnd = min(k, width - ix0)
                        for co in cb..<cout {
                            var acc = b[co]
                            for ky in 0..<window.rows {
                                for kx in kxBegin..<kxEnd {
                                    let input = inRow + ky * window.rowStride + (ix0 + kx) * cin
                                    let weights = wRow + ((ky * k + kx) * cin) * cout + co
                                    for ci in 0..<cin { acc += input[ci] * weights[ci * cout] }
                                }
                            }
                            outRow[ox * cout + co] = acc
                        }
                    }
                }
                activation.apply(to: outRow, count: outWidth * cout)
            }
        }

        struct Geometry {
            var rows, k, s, cin, cout, rowStride: Int
        }

        /// One output pixel, `vectors` x 8 output channels from `cb`, window clipped to the image.
        @_transparent
        func pixel(
            _ inRow: UnsafePointer<Float>, _ wRow: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
            _ outRow: UnsafeMutablePointer<Float>, ox: Int, cb: Int, _ g: Geometry, vectors: Int
        ) {
            let ix0 = ox * g.s - g.k / 2
            let kxBegin = max(0, -ix0), kxEnd = min(g.k, width - ix0)
            var a0 = Vector.load(b + cb)
            var a1 = vectors == 2 ? Vector.load(b + cb + 8) : .zero
            for ky in 0..<g.rows {
                for kx in kxBegin..<kxEnd {
                    let input = inRow + ky * g.rowStride + (ix0 + kx) * g.cin
                    let weights = wRow + ((ky * g.k + kx) * g.cin) * g.cout + cb
                    for ci in 0..<g.cin {
                        let v = Float8(repeating: input[ci])
                        a0 = a0.addingProduct(v, Vector.load(weights + ci * g.cout))
                        if vectors == 2 { a1 = a1.addingProduct(v, Vector.load(weights + ci * g.cout + 8)) }
                    }
                }
            }
            Vector.store(a0, outRow + ox * g.cout + cb)
            if vectors == 2 { Vector.store(a1, outRow + ox * g.cout + cb + 8) }
        }

        /// Four interior output pixels x `vectors` x 8 output channels. Wrapping offsets: overflow
        /// checks would keep the compiler from unrolling the (constant) window and channel loops.
        @_transparent
        static func tile(
            _ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
            _ output: UnsafeMutablePointer<Float>, _ g: Geometry, vectors: Int
        ) {
            let b0 = Vector.load(bias)
            let b1 = vectors == 2 ? Vector.load(bias + 8) : .zero
            var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
            let step = g.s &* g.cin
            let step2 = step &+ step, step3 = step2 &+ step
            var row = input
            var wp = weights
            for _ in 0..<g.rows {
                var q = row
                for _ in 0..<g.k {
                    for ci in 0..<g.cin {
                        let w0 = Vector.load(wp)
                        let x0 = Float8(repeating: q[ci]), x1 = Float8(repeating: q[step &+ ci])
                        let x2 = Float8(repeating: q[step2 &+ ci]), x3 = Float8(repeating: q[step3 &+ ci])
                        a00 = a00.addingProduct(x0, w0)
                        a10 = a10.addingProduct(x1, w0)
                        a20 = a20.addingProduct(x2, w0)
                        a30 = a30.addingProduct(x3, w0)
                        if vectors == 2 {
                            let w1 = Vector.load(wp + 8)
                            a01 = a01.addingProduct(x0, w1)
                            a11 = a11.addingProduct(x1, w1)
                            a21 = a21.addingProduct(x2, w1)
                            a31 = a31.addingProduct(x3, w1)
                        }
                        wp += g.cout
                    }
                    q += g.cin
                }
                row += g.rowStride
            }
            let c = g.cout
            var out = output
            Vector.store(a00, out); if vectors == 2 { Vector.store(a01, out + 8) }; out += c
            Vector.store(a10, out); if vectors == 2 { Vector.store(a11, out + 8) }; out += c
            Vector.store(a20, out); if vectors == 2 { Vector.store(a21, out + 8) }; out += c
            Vector.store(a30, out); if vectors == 2 { Vector.store(a31, out + 8) }
        }
    }
}
