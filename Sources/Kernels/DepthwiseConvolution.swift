import Support

/// Depthwise k x k convolution over NHWC, "same" padding k/2, stride 1 or 2, with bias (folded
/// batch norm) and a fused activation. Output extent ceil(H/stride) x ceil(W/stride).
///
/// Hand-written rather than im2col + GEMM: a depthwise convolution has no reduction over
/// channels, so GEMM would multiply k² x 1 matrices and im2col would copy the input k² times.
/// NHWC puts the channels of one pixel side by side, so the kernel vectorises over channels:
/// a register tile of 4 output pixels x 16 channels (8 accumulators) walks the k x k window,
/// each weight vector loaded once per tile and each input vector fed straight into an FMA.
/// With 16 channels per block every tile row is one 64-byte cache line. When a tile's window
/// across all channels fits in L1 (3x3 and 5x5 at moderate widths) tiles sweep all channel
/// blocks before moving right, reading memory sequentially; otherwise each 16-channel column is
/// swept along the row in turn (measured: 15-25% faster for the first case, the same or better
/// for the second). Interior pixels take the tiled path; the few border pixels whose window
/// leaves the image take a clipped one-pixel path; channels beyond the last multiple of 8 take a
/// scalar path. The activation runs on each output row as soon as it is complete, in L1.
/// Window size and stride 3/5/7 x 1/2 are compile-time specialisations; other odd sizes and
/// strides run the same code with run-time values.
///
/// Under AVX-512 (`KernelDispatch.variant`, read once per call) the tile is 4 pixels x 32
/// channels in zmm registers (8 accumulators of 16 lanes, two cache lines per tile row), then
/// one 16-channel and one 8-channel block, and the activation runs on sixteen lanes.
public struct DepthwiseConvolution: Sendable {
    public let channels: Int
    public let kernelSize: Int
    public let stride: Int
    public let activation: Activation
    /// [kernelSize, kernelSize, channels] (HWC: the channel is innermost, as in the input).
    public let weight: Tensor
    /// [channels].
    public let bias: Tensor
    public var padding: Int { kernelSize / 2 }

    /// Weights and bias uniform in ±1/√(k²), from `seed`.
    public init(channels: Int, kernelSize: Int, stride: Int = 1, activation: Activation = .identity, seed: UInt64) {
        precondition(channels > 0 && kernelSize > 0 && kernelSize % 2 == 1 && stride > 0,
                     "DepthwiseConvolution: \(channels) channels, kernel \(kernelSize), stride \(stride)")
        var generator = SeededGenerator(seed: seed)
        let scale = 1 / Float(kernelSize)
        self.channels = channels
        self.kernelSize = kernelSize
        self.stride = stride
        self.activation = activation
        weight = Tensor(shape: [kernelSize, kernelSize, channels], generator: &generator, scale: scale)
        bias = Tensor(shape: [channels], generator: &generator, scale: scale)
    }

    /// Explicit weights [k, k, channels] (PyTorch's [C, 1, k, k] permuted) and bias [channels].
    public init(
        channels: Int, kernelSize: Int, stride: Int = 1, weight: [Float], bias: [Float],
        activation: Activation = .identity
    ) throws(HwnasError) {
        guard channels > 0, kernelSize > 0, kernelSize % 2 == 1, stride > 0 else {
            throw HwnasError("DepthwiseConvolution: \(channels) channels, kernel \(kernelSize), stride \(stride); the kernel must be odd")
        }
        self.channels = channels
        self.kernelSize = kernelSize
        self.stride = stride
        self.activation = activation
        self.weight = try Tensor(shape: [kernelSize, kernelSize, channels], values: weight)
        self.bias = try Tensor(shape: [channels], values: bias)
    }

    /// The output extent for an input of `height` x `width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + stride - 1) / stride, (width + stride - 1) / stride)
    }

    /// y = activation(depthwise(x) + bias); `x` is [N, H, W, C], `y` [N, ceil(H/s), ceil(W/s), C].
    public func callAsFunction(_ x: Tensor, _ y: Tensor) {
        precondition(x.shape.count == 4 && x.shape[3] == channels,
                     "DepthwiseConvolution(\(channels) channels): input shape \(x.shape)")
        let (n, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        let out = outputSize(height: h, width: w)
        precondition(y.shape == [n, out.height, out.width, channels],
                     "DepthwiseConvolution: output shape \(y.shape), expected \([n, out.height, out.width, channels])")
        let geometry = Geometry(
            batch: n, height: h, width: w, outHeight: out.height, outWidth: out.width, channels: channels)
        switch KernelDispatch.variant {
        case .avx2:
            switch (kernelSize, stride) {
            case (3, 1): run(Window<K3, S1>.self, x.pointer, y.pointer, geometry)
            case (3, 2): run(Window<K3, S2>.self, x.pointer, y.pointer, geometry)
            case (5, 1): run(Window<K5, S1>.self, x.pointer, y.pointer, geometry)
            case (5, 2): run(Window<K5, S2>.self, x.pointer, y.pointer, geometry)
            case (7, 1): run(Window<K7, S1>.self, x.pointer, y.pointer, geometry)
            case (7, 2): run(Window<K7, S2>.self, x.pointer, y.pointer, geometry)
            default: run(x.pointer, y.pointer, geometry, k: kernelSize, s: stride)
            }
        case .avx512:
            switch (kernelSize, stride) {
            case (3, 1): run512(Window<K3, S1>.self, x.pointer, y.pointer, geometry)
            case (3, 2): run512(Window<K3, S2>.self, x.pointer, y.pointer, geometry)
            case (5, 1): run512(Window<K5, S1>.self, x.pointer, y.pointer, geometry)
            case (5, 2): run512(Window<K5, S2>.self, x.pointer, y.pointer, geometry)
            case (7, 1): run512(Window<K7, S1>.self, x.pointer, y.pointer, geometry)
            case (7, 2): run512(Window<K7, S2>.self, x.pointer, y.pointer, geometry)
            default: run512(x.pointer, y.pointer, geometry, k: kernelSize, s: stride)
            }
        }
    }

    struct Geometry {
        var batch, height, width, outHeight, outWidth, channels: Int
    }

    /// One specialisation per kernel size and stride, with both as compile-time constants (the
    /// window loops unroll fully), each its own function (inlined into one caller, six copies
    /// would exceed the optimiser's size budget and stay generic).
    @inline(never)
    func run<W: WindowShape>(_: W.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: Geometry) {
        run(x, y, g, k: W.size, s: W.stride)
    }

    /// The whole convolution for kernel `k` and stride `s`.
    @_transparent
    func run(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: Geometry, k: Int, s: Int) {
        let c = g.channels
        let p = k / 2
        let rowStride = g.width * c
        // Output columns whose whole window lies inside the image: ox·s - p >= 0 and
        // ox·s - p + k <= width.
        let interiorBegin = min(g.outWidth, (p + s - 1) / s)
        let lastInterior = g.width - k + p >= 0 ? (g.width - k + p) / s : -1
        let interiorEnd = max(interiorBegin, min(g.outWidth, lastInterior + 1))
        let w = weight.pointer
        let b = bias.pointer
        // Loop order by working set: a 4-pixel window across all channels, k rows high.
        let pixelsOuter = k * (3 * s + k) * c * 4 <= 20 * 1024
        for image in 0..<g.batch {
            for oy in 0..<g.outHeight {
                let iy0 = oy * s - p
                let kyBegin = max(0, -iy0)
                let kyEnd = min(k, g.height - iy0)
                let rows = kyEnd - kyBegin
                // Input row iy0 + kyBegin at column 0, and the matching weight row.
                let inRow = x + ((image * g.height + iy0 + kyBegin) * g.width) * c
                let wRow = w + kyBegin * k * c
                let outRow = y + ((image * g.outHeight + oy) * g.outWidth) * c
                let cb: Int
                if pixelsOuter {
                    // Pixels outer, channel blocks inner: each tile's window (k rows x a few
                    // pixels x all channels) is read sequentially and is still in L1 for the
                    // next tile.
                    let wide = c & ~15
                    let hasEight = c & 8 != 0
                    pixels(0..<interiorBegin, inRow, wRow, b, outRow, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                    var ox = interiorBegin
                    while ox + 4 <= interiorEnd {
                        let input = inRow + (ox * s - p) * c
                        let output = outRow + ox * c
                        var block = 0
                        while block < wide {
                            Self.tile16(input + block, wRow + block, b + block, output + block, rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            block += 16
                        }
                        if hasEight {
                            Self.tile8(input + block, wRow + block, b + block, output + block, rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                        }
                        ox += 4
                    }
                    pixels(ox..<g.outWidth, inRow, wRow, b, outRow, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                    cb = wide + (hasEight ? 8 : 0)
                } else {
                    // Channel blocks outer: one 64-byte column of the k input rows at a time,
                    // when a window across all channels would not stay in L1.
                    var block = 0
                    while block + 16 <= c {
                        for ox in 0..<interiorBegin {
                            pixel(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 2, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                        }
                        var ox = interiorBegin
                        while ox + 4 <= interiorEnd {
                            Self.tile16(inRow + (ox * s - p) * c + block, wRow + block, b + block, outRow + ox * c + block,
                                        rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            ox += 4
                        }
                        while ox < g.outWidth {
                            pixel(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 2, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                            ox += 1
                        }
                        block += 16
                    }
                    if block + 8 <= c {
                        for ox in 0..<interiorBegin {
                            pixel(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 1, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                        }
                        var ox = interiorBegin
                        while ox + 4 <= interiorEnd {
                            Self.tile8(inRow + (ox * s - p) * c + block, wRow + block, b + block, outRow + ox * c + block,
                                       rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            ox += 4
                        }
                        while ox < g.outWidth {
                            pixel(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 1, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                            ox += 1
                        }
                        block += 8
                    }
                    cb = block
                }
                if cb < c {
                    for ox in 0..<g.outWidth {
                        let ix0 = ox * s - p
                        let kxBegin = max(0, -ix0)
                        let kxEnd = min(k, g.width - ix0)
                        for channel in cb..<c {
                            var acc = b[channel]
                            for ky in 0..<rows {
                                for kx in kxBegin..<kxEnd {
                                    acc += inRow[ky * rowStride + (ix0 + kx) * c + channel] * wRow[(ky * k + kx) * c + channel]
                                }
                            }
                            outRow[ox * c + channel] = acc
                        }
                    }
                }
                activation.apply(to: outRow, count: g.outWidth * c, variant: .avx2)
            }
        }
    }

    /// Output pixels one at a time over every vector channel block (borders and leftovers).
    @_transparent
    func pixels(
        _ range: Range<Int>, _ inRow: UnsafePointer<Float>, _ wRow: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ outRow: UnsafeMutablePointer<Float>, rows: Int, k: Int, s: Int, c: Int, width: Int, rowStride: Int
    ) {
        let wide = c & ~15
        for ox in range {
            var cb = 0
            while cb < wide {
                pixel(inRow, wRow, b, outRow, ox: ox, cb: cb, vectors: 2, rows: rows, k: k, s: s, c: c, width: width, rowStride: rowStride)
                cb += 16
            }
            if c & 8 != 0 {
                pixel(inRow, wRow, b, outRow, ox: ox, cb: cb, vectors: 1, rows: rows, k: k, s: s, c: c, width: width, rowStride: rowStride)
            }
        }
    }

    /// One output pixel, `vectors` x 8 channels from `cb`, with the window clipped to the image.
    @_transparent
    func pixel(
        _ inRow: UnsafePointer<Float>, _ wRow: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ outRow: UnsafeMutablePointer<Float>, ox: Int, cb: Int, vectors: Int,
        rows: Int, k: Int, s: Int, c: Int, width: Int, rowStride: Int
    ) {
        let ix0 = ox * s - k / 2
        let kxBegin = max(0, -ix0)
        let kxEnd = min(k, width - ix0)
        var a0 = Vector.load(b + cb)
        var a1 = vectors == 2 ? Vector.load(b + cb + 8) : .zero
        for ky in 0..<rows {
            let input = inRow + ky * rowStride + cb
            let weights = wRow + ky * k * c + cb
            for kx in kxBegin..<kxEnd {
                let ip = input + (ix0 + kx) * c
                let wp = weights + kx * c
                a0 = a0.addingProduct(Vector.load(ip), Vector.load(wp))
                if vectors == 2 { a1 = a1.addingProduct(Vector.load(ip + 8), Vector.load(wp + 8)) }
            }
        }
        Vector.store(a0, outRow + ox * c + cb)
        if vectors == 2 { Vector.store(a1, outRow + ox * c + cb + 8) }
    }

    /// Four output pixels x 16 channels; `input` is the window's top-left input of the first.
    /// Offsets use wrapping arithmetic: overflow checks in the window loop would block the
    /// compiler from unrolling it and from reusing inputs across neighbouring taps.
    @_transparent
    static func tile16(
        _ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ output: UnsafeMutablePointer<Float>, rows: Int, k: Int, s: Int, c: Int, rowStride: Int
    ) {
        let b0 = Vector.load(bias), b1 = Vector.load(bias + 8)
        var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
        let step = s &* c
        let step2 = step &+ step, step3 = step2 &+ step
        var row = input
        var wp = weights
        for _ in 0..<rows {
            var q = row
            for _ in 0..<k {
                let w0 = Vector.load(wp), w1 = Vector.load(wp + 8)
                a00 = a00.addingProduct(Vector.load(q), w0)
                a01 = a01.addingProduct(Vector.load(q + 8), w1)
                a10 = a10.addingProduct(Vector.load(q + step), w0)
                a11 = a11.addingProduct(Vector.load(q + (step &+ 8)), w1)
                a20 = a20.addingProduct(Vector.load(q + step2), w0)
                a21 = a21.addingProduct(Vector.load(q + (step2 &+ 8)), w1)
                a30 = a30.addingProduct(Vector.load(q + step3), w0)
                a31 = a31.addingProduct(Vector.load(q + (step3 &+ 8)), w1)
                q += c
                wp += c
            }
            row += rowStride
        }
        let c2 = c &+ c, c3 = c2 &+ c
        Vector.store(a00, output); Vector.store(a01, output + 8)
        Vector.store(a10, output + c); Vector.store(a11, output + (c &+ 8))
        Vector.store(a20, output + c2); Vector.store(a21, output + (c2 &+ 8))
        Vector.store(a30, output + c3); Vector.store(a31, output + (c3 &+ 8))
    }

    /// Four output pixels x 8 channels (the channel block left when C mod 16 >= 8).
    @_transparent
    static func tile8(
        _ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ output: UnsafeMutablePointer<Float>, rows: Int, k: Int, s: Int, c: Int, rowStride: Int
    ) {
        let b0 = Vector.load(bias)
        var a0 = b0, a1 = b0, a2 = b0, a3 = b0
        let step = s &* c
        let step2 = step &+ step, step3 = step2 &+ step
        var row = input
        var wp = weights
        for _ in 0..<rows {
            var q = row
            for _ in 0..<k {
                let w0 = Vector.load(wp)
                a0 = a0.addingProduct(Vector.load(q), w0)
                a1 = a1.addingProduct(Vector.load(q + step), w0)
                a2 = a2.addingProduct(Vector.load(q + step2), w0)
                a3 = a3.addingProduct(Vector.load(q + step3), w0)
                q += c
                wp += c
            }
            row += rowStride
        }
        Vector.store(a0, output)
        Vector.store(a1, output + c)
        Vector.store(a2, output + (c &+ c))
        Vector.store(a3, output + (c &+ c &+ c))
    }

    // MARK: AVX-512

    /// `run(_:_:_:_:)` with the AVX-512 tiles, one specialisation per kernel size and stride.
    @inline(never)
    func run512<W: WindowShape>(_: W.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: Geometry) {
        run512(x, y, g, k: W.size, s: W.stride)
    }

    /// The whole convolution for kernel `k` and stride `s` on 16-lane vectors: the loop orders
    /// of the AVX2 path, with 32-channel tiles where that path has 16-channel ones.
    @_transparent
    func run512(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: Geometry, k: Int, s: Int) {
        let c = g.channels
        let p = k / 2
        let rowStride = g.width * c
        let interiorBegin = min(g.outWidth, (p + s - 1) / s)
        let lastInterior = g.width - k + p >= 0 ? (g.width - k + p) / s : -1
        let interiorEnd = max(interiorBegin, min(g.outWidth, lastInterior + 1))
        let w = weight.pointer
        let b = bias.pointer
        let pixelsOuter = k * (3 * s + k) * c * 4 <= 20 * 1024
        let wide = c & ~31
        let hasSixteen = c & 16 != 0
        let hasEight = c & 8 != 0
        let vectorChannels = c & ~7
        for image in 0..<g.batch {
            for oy in 0..<g.outHeight {
                let iy0 = oy * s - p
                let kyBegin = max(0, -iy0)
                let kyEnd = min(k, g.height - iy0)
                let rows = kyEnd - kyBegin
                let inRow = x + ((image * g.height + iy0 + kyBegin) * g.width) * c
                let wRow = w + kyBegin * k * c
                let outRow = y + ((image * g.outHeight + oy) * g.outWidth) * c
                if pixelsOuter {
                    pixels512(0..<interiorBegin, inRow, wRow, b, outRow, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                    var ox = interiorBegin
                    while ox + 4 <= interiorEnd {
                        let input = inRow + (ox * s - p) * c
                        let output = outRow + ox * c
                        var block = 0
                        while block < wide {
                            Self.tile32(input + block, wRow + block, b + block, output + block, rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            block += 32
                        }
                        if hasSixteen {
                            Self.tile16x(input + block, wRow + block, b + block, output + block, rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            block += 16
                        }
                        if hasEight {
                            Self.tile8(input + block, wRow + block, b + block, output + block, rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                        }
                        ox += 4
                    }
                    pixels512(ox..<g.outWidth, inRow, wRow, b, outRow, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                } else {
                    // Channel blocks outer: two 64-byte columns of the k input rows at a time.
                    var block = 0
                    while block + 32 <= c {
                        for ox in 0..<interiorBegin {
                            pixel512(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 2, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                        }
                        var ox = interiorBegin
                        while ox + 4 <= interiorEnd {
                            Self.tile32(inRow + (ox * s - p) * c + block, wRow + block, b + block, outRow + ox * c + block,
                                        rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            ox += 4
                        }
                        while ox < g.outWidth {
                            pixel512(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 2, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                            ox += 1
                        }
                        block += 32
                    }
                    if block + 16 <= c {
                        for ox in 0..<interiorBegin {
                            pixel512(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 1, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                        }
                        var ox = interiorBegin
                        while ox + 4 <= interiorEnd {
                            Self.tile16x(inRow + (ox * s - p) * c + block, wRow + block, b + block, outRow + ox * c + block,
                                         rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            ox += 4
                        }
                        while ox < g.outWidth {
                            pixel512(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 1, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                            ox += 1
                        }
                        block += 16
                    }
                    if block + 8 <= c {
                        for ox in 0..<interiorBegin {
                            pixel(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 1, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                        }
                        var ox = interiorBegin
                        while ox + 4 <= interiorEnd {
                            Self.tile8(inRow + (ox * s - p) * c + block, wRow + block, b + block, outRow + ox * c + block,
                                       rows: rows, k: k, s: s, c: c, rowStride: rowStride)
                            ox += 4
                        }
                        while ox < g.outWidth {
                            pixel(inRow, wRow, b, outRow, ox: ox, cb: block, vectors: 1, rows: rows, k: k, s: s, c: c, width: g.width, rowStride: rowStride)
                            ox += 1
                        }
                    }
                }
                if vectorChannels < c {
                    for ox in 0..<g.outWidth {
                        let ix0 = ox * s - p
                        let kxBegin = max(0, -ix0)
                        let kxEnd = min(k, g.width - ix0)
                        for channel in vectorChannels..<c {
                            var acc = b[channel]
                            for ky in 0..<rows {
                                for kx in kxBegin..<kxEnd {
                                    acc += inRow[ky * rowStride + (ix0 + kx) * c + channel] * wRow[(ky * k + kx) * c + channel]
                                }
                            }
                            outRow[ox * c + channel] = acc
                        }
                    }
                }
                activation.apply(to: outRow, count: g.outWidth * c, variant: .avx512)
            }
        }
    }

    /// Output pixels one at a time over every vector channel block, on 16-lane vectors.
    @_transparent
    func pixels512(
        _ range: Range<Int>, _ inRow: UnsafePointer<Float>, _ wRow: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ outRow: UnsafeMutablePointer<Float>, rows: Int, k: Int, s: Int, c: Int, width: Int, rowStride: Int
    ) {
        let wide = c & ~31
        for ox in range {
            var cb = 0
            while cb < wide {
                pixel512(inRow, wRow, b, outRow, ox: ox, cb: cb, vectors: 2, rows: rows, k: k, s: s, c: c, width: width, rowStride: rowStride)
                cb += 32
            }
            if c & 16 != 0 {
                pixel512(inRow, wRow, b, outRow, ox: ox, cb: cb, vectors: 1, rows: rows, k: k, s: s, c: c, width: width, rowStride: rowStride)
                cb += 16
            }
            if c & 8 != 0 {
                pixel(inRow, wRow, b, outRow, ox: ox, cb: cb, vectors: 1, rows: rows, k: k, s: s, c: c, width: width, rowStride: rowStride)
            }
        }
    }

    /// One output pixel, `vectors` x 16 channels from `cb`, with the window clipped to the image.
    @_transparent
    func pixel512(
        _ inRow: UnsafePointer<Float>, _ wRow: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ outRow: UnsafeMutablePointer<Float>, ox: Int, cb: Int, vectors: Int,
        rows: Int, k: Int, s: Int, c: Int, width: Int, rowStride: Int
    ) {
        let ix0 = ox * s - k / 2
        let kxBegin = max(0, -ix0)
        let kxEnd = min(k, width - ix0)
        var a0 = Vector.load16(b + cb)
        var a1 = vectors == 2 ? Vector.load16(b + cb + 16) : .zero
        for ky in 0..<rows {
            let input = inRow + ky * rowStride + cb
            let weights = wRow + ky * k * c + cb
            for kx in kxBegin..<kxEnd {
                let ip = input + (ix0 + kx) * c
                let wp = weights + kx * c
                a0 = a0.addingProduct(Vector.load16(ip), Vector.load16(wp))
                if vectors == 2 { a1 = a1.addingProduct(Vector.load16(ip + 16), Vector.load16(wp + 16)) }
            }
        }
        Vector.store(a0, outRow + ox * c + cb)
        if vectors == 2 { Vector.store(a1, outRow + ox * c + cb + 16) }
    }

    /// Four output pixels x 32 channels in 16-lane registers (8 accumulators).
    @_transparent
    static func tile32(
        _ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ output: UnsafeMutablePointer<Float>, rows: Int, k: Int, s: Int, c: Int, rowStride: Int
    ) {
        let b0 = Vector.load16(bias), b1 = Vector.load16(bias + 16)
        var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
        let step = s &* c
        let step2 = step &+ step, step3 = step2 &+ step
        var row = input
        var wp = weights
        for _ in 0..<rows {
            var q = row
            for _ in 0..<k {
                let w0 = Vector.load16(wp), w1 = Vector.load16(wp + 16)
                a00 = a00.addingProduct(Vector.load16(q), w0)
                a01 = a01.addingProduct(Vector.load16(q + 16), w1)
                a10 = a10.addingProduct(Vector.load16(q + step), w0)
                a11 = a11.addingProduct(Vector.load16(q + (step &+ 16)), w1)
                a20 = a20.addingProduct(Vector.load16(q + step2), w0)
                a21 = a21.addingProduct(Vector.load16(q + (step2 &+ 16)), w1)
                a30 = a30.addingProduct(Vector.load16(q + step3), w0)
                a31 = a31.addingProduct(Vector.load16(q + (step3 &+ 16)), w1)
                q += c
                wp += c
            }
            row += rowStride
        }
        let c2 = c &+ c, c3 = c2 &+ c
        Vector.store(a00, output); Vector.store(a01, output + 16)
        Vector.store(a10, output + c); Vector.store(a11, output + (c &+ 16))
        Vector.store(a20, output + c2); Vector.store(a21, output + (c2 &+ 16))
        Vector.store(a30, output + c3); Vector.store(a31, output + (c3 &+ 16))
    }

    /// Four output pixels x 16 channels in 16-lane registers (the block left when C mod 32 >= 16).
    @_transparent
    static func tile16x(
        _ input: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        _ output: UnsafeMutablePointer<Float>, rows: Int, k: Int, s: Int, c: Int, rowStride: Int
    ) {
        let b0 = Vector.load16(bias)
        var a0 = b0, a1 = b0, a2 = b0, a3 = b0
        let step = s &* c
        let step2 = step &+ step, step3 = step2 &+ step
        var row = input
        var wp = weights
        for _ in 0..<rows {
            var q = row
            for _ in 0..<k {
                let w0 = Vector.load16(wp)
                a0 = a0.addingProduct(Vector.load16(q), w0)
                a1 = a1.addingProduct(Vector.load16(q + step), w0)
                a2 = a2.addingProduct(Vector.load16(q + step2), w0)
                a3 = a3.addingProduct(Vector.load16(q + step3), w0)
                q += c
                wp += c
            }
            row += rowStride
        }
        Vector.store(a0, output)
        Vector.store(a1, output + c)
        Vector.store(a2, output + (c &+ c))
        Vector.store(a3, output + (c &+ c &+ c))
    }
}
