import Kernels
import Support
import Testing

extension KernelVariantSuites {
    /// Every runnable variant against the plain reference, tails included.
    @Suite struct DepthwiseConvolutionTests {
        static let combinations = [(3, 1), (3, 2), (5, 1), (5, 2), (7, 1), (7, 2)]

        func check(
            _ variant: KernelVariant, kernel: Int, stride: Int, batch: Int, height: Int, width: Int, channels: Int,
            activation: Activation = .identity
        ) {
            KernelDispatch.forcing(variant) {
                check(kernel: kernel, stride: stride, batch: batch, height: height, width: width, channels: channels, activation: activation)
                #expect(KernelDispatch.variant == variant)
            }
        }

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
                                  "\(KernelDispatch.variant) k\(kernel) s\(stride) \(batch)x\(height)x\(width)x\(channels) \(activation)")
        }

        /// Channel counts that leave every tail (16-, 8-channel blocks and scalar lanes) on both
        /// variants, spatial sizes with and without interior tiles.
        @Test(arguments: KernelVariant.runnable, combinations)
        func oddSizesAndChannels(_ variant: KernelVariant, _ combination: (Int, Int)) {
            let (kernel, stride) = combination
            for channels in [1, 3, 8, 17, 24, 33, 40, 72, 120] {
                for (height, width) in [(1, 1), (5, 5), (7, 7), (13, 13), (5, 9), (2, 3)] {
                    check(variant, kernel: kernel, stride: stride, batch: 1, height: height, width: width, channels: channels)
                }
            }
            check(variant, kernel: kernel, stride: stride, batch: 2, height: 13, width: 11, channels: 40, activation: .hardSwish)
            check(variant, kernel: kernel, stride: stride, batch: 1, height: 7, width: 13, channels: 72, activation: .relu6)
        }

        /// One medium case per combination: 33x33 (and 17x17) with channels spanning every path;
        /// 300 and 344 channels make the window too wide for L1, which switches the loop order
        /// (344 = 10 x 32 + 16 + 8 takes every channel block of the AVX-512 path).
        @Test(arguments: KernelVariant.runnable, combinations)
        func mediumCase(_ variant: KernelVariant, _ combination: (Int, Int)) {
            check(variant, kernel: combination.0, stride: combination.1, batch: 1, height: 33, width: 33, channels: 57, activation: .relu)
            check(variant, kernel: combination.0, stride: combination.1, batch: 2, height: 17, width: 17, channels: 48)
            check(variant, kernel: combination.0, stride: combination.1, batch: 1, height: 9, width: 11, channels: 300, activation: .hardSwish)
            check(variant, kernel: combination.0, stride: combination.1, batch: 1, height: 13, width: 13, channels: 344, activation: .gelu)
            check(variant, kernel: combination.0, stride: combination.1, batch: 1, height: 5, width: 7, channels: 120, activation: .hardSwish)
        }

        /// Sizes and strides outside the compile-time specialisations take the run-time path.
        @Test(arguments: KernelVariant.runnable)
        func runTimeWindow(_ variant: KernelVariant) {
            for channels in [3, 17, 40] {
                check(variant, kernel: 9, stride: 1, batch: 1, height: 13, width: 13, channels: channels)
                check(variant, kernel: 3, stride: 3, batch: 1, height: 13, width: 13, channels: channels)
            }
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
            #expect(KernelDispatch.describing(.avx512).depthwise == "avx512")
            #expect(KernelDispatch.describing(.avx512).elementwise == "avx512")
            #expect(KernelDispatch.describing(.avx2).depthwise == "avx2")
        }
    }
}
