import Kernels
import Support
import Testing

@Suite struct DepthwiseConvolutionTests {
    static let combinations = [(3, 1), (3, 2), (5, 1), (5, 2), (7, 1), (7, 2)]

    func check(kernel: Int, stride: Int, batch: Int, height: Int, width: Int, channels: Int, activation: Activation = .identity) {
        let seed = UInt64(kernel * 1000 + stride * 100 + channels + height)
        let layer = DepthwiseConvolution(channels: channels, kernelSize: kernel, stride: stride, activation: activation, seed: seed)
        let x = Reference.tensor([batch, height, width, channels], seed: seed + 1)
        let out = layer.outputSize(height: height, width: width)
        let y = Tensor(shape: [batch, out.height, out.width, channels])
        layer(x, y)
        let expected = ConvolutionReference.convolve(
            x.array, batch: batch, height: height, width: width, inChannels: channels, outChannels: channels,
            kernel: kernel, stride: stride, weight: layer.weight.array, bias: layer.bias.array, depthwise: true)
        #expect(out.height == expected.outHeight && out.width == expected.outWidth)
        Reference.expectClose(y.array, expected.values.map { Reference.activation(activation, $0) },
                              "k\(kernel) s\(stride) \(batch)x\(height)x\(width)x\(channels)")
    }

    @Test(arguments: combinations)
    func oddSizesAndChannels(_ combination: (Int, Int)) {
        let (kernel, stride) = combination
        for channels in [1, 3, 8, 17, 24, 33] {
            for (height, width) in [(1, 1), (7, 7), (13, 13), (5, 9), (2, 3)] {
                check(kernel: kernel, stride: stride, batch: 1, height: height, width: width, channels: channels)
            }
        }
        check(kernel: kernel, stride: stride, batch: 2, height: 13, width: 11, channels: 40, activation: .hardSwish)
    }

    /// One medium case per combination: 33x33 (and 17x17) with channels spanning every path;
    /// 300 channels make the window too wide for L1, which switches the loop order.
    @Test(arguments: combinations)
    func mediumCase(_ combination: (Int, Int)) {
        check(kernel: combination.0, stride: combination.1, batch: 1, height: 33, width: 33, channels: 57, activation: .relu)
        check(kernel: combination.0, stride: combination.1, batch: 2, height: 17, width: 17, channels: 48)
        check(kernel: combination.0, stride: combination.1, batch: 1, height: 9, width: 11, channels: 300, activation: .hardSwish)
    }

    @Test func repeatableAndExplicitWeights() throws {
        let layer = try DepthwiseConvolution(channels: 2, kernelSize: 3, stride: 1,
                                             weight: [Float](repeating: 1, count: 18), bias: [0, 1])
        let x = Tensor(shape: [1, 3, 3, 2])
        x.fill(1)
        let y = Tensor(shape: [1, 3, 3, 2])
        layer(x, y)
        #expect(y[0, 1, 1, 0] == 9 && y[0, 1, 1, 1] == 10)
        #expect(y[0, 0, 0, 0] == 4 && y[0, 0, 1, 1] == 7)
        let first = y.array
        layer(x, y)
        #expect(y.array == first)
        let error = try #require(throws: HwnasError.self) { try DepthwiseConvolution(channels: 2, kernelSize: 4, weight: [], bias: []) }
        #expect(error.message.contains("kernel 4"), "message: \(error.message)")
    }
}
