import Kernels
import Testing

@Suite struct ConvolutionTests {
    @Test(arguments: Convolution.Algorithm.allCases)
    func matchesReference(_ algorithm: Convolution.Algorithm) {
        let cases: [(batch: Int, h: Int, w: Int, cin: Int, cout: Int, k: Int, s: Int)] = [
            (1, 1, 1, 1, 1, 3, 1), (1, 7, 7, 3, 16, 3, 2), (2, 13, 9, 3, 17, 3, 2), (1, 6, 5, 5, 8, 5, 1),
            (1, 7, 7, 4, 33, 3, 1), (2, 5, 5, 2, 3, 1, 1), (1, 9, 9, 3, 24, 7, 2),
        ]
        for c in cases {
            let layer = Convolution(inChannels: c.cin, outChannels: c.cout, kernelSize: c.k, stride: c.s,
                                    activation: .hardSwish, height: c.h, width: c.w, algorithm: algorithm, seed: UInt64(c.cout))
            let x = Reference.tensor([c.batch, c.h, c.w, c.cin], seed: 3)
            let y = Tensor(shape: [c.batch, layer.outHeight, layer.outWidth, c.cout])
            layer(x, y)
            let expected = ConvolutionReference.convolve(
                x.array, batch: c.batch, height: c.h, width: c.w, inChannels: c.cin, outChannels: c.cout,
                kernel: c.k, stride: c.s, weight: layer.weight.array, bias: layer.bias.array, depthwise: false)
            Reference.expectClose(y.array, expected.values.map { Reference.activation(.hardSwish, $0) }, "\(algorithm) \(c)")
        }
    }

    /// The stem's shape at a medium resolution, both algorithms agreeing, run twice.
    @Test func mediumStem() {
        let direct = Convolution(inChannels: 3, outChannels: 16, kernelSize: 3, stride: 2, activation: .hardSwish,
                                 height: 33, width: 33, algorithm: .direct, seed: 1)
        let im2col = try! Convolution(inChannels: 3, outChannels: 16, kernelSize: 3, stride: 2,
                                      weight: direct.weight.array, bias: direct.bias.array, activation: .hardSwish,
                                      height: 33, width: 33, algorithm: .im2col)
        let x = Reference.tensor([2, 33, 33, 3], seed: 2)
        let a = Tensor(shape: [2, 17, 17, 16]), b = Tensor(shape: [2, 17, 17, 16])
        direct(x, a)
        im2col(x, b)
        let expected = ConvolutionReference.convolve(
            x.array, batch: 2, height: 33, width: 33, inChannels: 3, outChannels: 16,
            kernel: 3, stride: 2, weight: direct.weight.array, bias: direct.bias.array, depthwise: false)
        Reference.expectClose(a.array, expected.values.map { Reference.activation(.hardSwish, $0) })
        Reference.expectClose(b.array, expected.values.map { Reference.activation(.hardSwish, $0) })
        let first = b.array
        im2col(x, b)
        #expect(b.array == first)
    }
}
