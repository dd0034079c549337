import Kernels
import Support
import Testing

@Suite struct BatchNormTests {
    /// A convolution with folded BN equals the convolution followed by BN, for each conv kind.
    @Test func foldedEqualsConvolutionThenNorm() throws {
        // Pointwise.
        let pw = Convolution1x1(inChannels: 17, outChannels: 24, seed: 1)
        let bn24 = BatchNorm(channels: 24, seed: 2)
        let f = try bn24.fold(weight: pw.linear.weight.array, bias: pw.linear.bias.array)
        let folded = try Convolution1x1(inChannels: 17, outChannels: 24, weight: f.weight, bias: f.bias)
        let x = Reference.tensor([2, 7, 7, 17], seed: 3)
        let a = Tensor(shape: [2, 7, 7, 24]), b = Tensor(shape: [2, 7, 7, 24])
        pw(x, a)
        bn24(a)
        folded(x, b)
        Reference.expectClose(b.array, a.array.map(Double.init))

        // Depthwise, with the activation after the BN.
        let dw = DepthwiseConvolution(channels: 33, kernelSize: 5, stride: 2, seed: 4)
        let bn33 = BatchNorm(channels: 33, seed: 5)
        let g = try bn33.fold(weight: dw.weight.array, bias: dw.bias.array)
        let foldedDW = try DepthwiseConvolution(channels: 33, kernelSize: 5, stride: 2, weight: g.weight, bias: g.bias, activation: .relu)
        let xd = Reference.tensor([1, 13, 13, 33], seed: 6)
        let c = Tensor(shape: [1, 7, 7, 33]), d = Tensor(shape: [1, 7, 7, 33])
        dw(xd, c)
        bn33(c)
        Activation.relu.apply(c)
        foldedDW(xd, d)
        Reference.expectClose(d.array, c.array.map(Double.init))

        // Dense, from a convolution without bias.
        let stem = Convolution(inChannels: 3, outChannels: 16, kernelSize: 3, stride: 2, height: 9, width: 9, seed: 7)
        let bn16 = BatchNorm(channels: 16, seed: 8)
        let h = try bn16.fold(weight: stem.weight.array, bias: nil)
        let zeroBias = try Convolution(inChannels: 3, outChannels: 16, kernelSize: 3, stride: 2,
                                       weight: stem.weight.array, bias: [Float](repeating: 0, count: 16), height: 9, width: 9)
        let foldedStem = try Convolution(inChannels: 3, outChannels: 16, kernelSize: 3, stride: 2,
                                         weight: h.weight, bias: h.bias, height: 9, width: 9)
        let xs = Reference.tensor([1, 9, 9, 3], seed: 9)
        let e = Tensor(shape: [1, 5, 5, 16]), f2 = Tensor(shape: [1, 5, 5, 16])
        zeroBias(xs, e)
        bn16(e)
        foldedStem(xs, f2)
        Reference.expectClose(f2.array, e.array.map(Double.init))
    }

    @Test func normalisesByDefinition() throws {
        let bn = try BatchNorm(gamma: [2], beta: [1], mean: [3], variance: [4], epsilon: 0)
        let x = try Tensor(shape: [1, 2], values: [3, 5]).reshaped([2, 1])
        bn(x)
        #expect(x.array == [1, 3])
    }

    @Test func mismatchedInputsThrow() throws {
        let counts = try #require(throws: HwnasError.self) { try BatchNorm(gamma: [1, 2], beta: [1], mean: [0, 0], variance: [1, 1]) }
        #expect(counts.message.contains("beta 1"), "message: \(counts.message)")
        let bn = BatchNorm(channels: 4, seed: 1)
        let weights = try #require(throws: HwnasError.self) { try bn.fold(weight: [1, 2, 3], bias: nil) }
        #expect(weights.message.contains("3 weights"), "message: \(weights.message)")
        let bias = try #require(throws: HwnasError.self) { try bn.fold(weight: [1, 2, 3, 4], bias: [1]) }
        #expect(bias.message.contains("bias has 1 values"), "message: \(bias.message)")
    }
}

extension Tensor {
    func reshaped(_ shape: [Int]) -> Tensor {
        reshape(shape)
        return self
    }
}
