import Kernels
import Testing

@Suite struct Convolution1x1Tests {
    @Test func matchesReference() {
        let cases: [(batch: Int, h: Int, w: Int, cin: Int, cout: Int)] = [
            (1, 1, 1, 1, 1), (2, 7, 7, 3, 17), (1, 13, 13, 17, 33), (2, 5, 3, 24, 144), (1, 33, 33, 16, 24),
        ]
        for c in cases {
            let layer = Convolution1x1(inChannels: c.cin, outChannels: c.cout, activation: .hardSwish, seed: UInt64(c.cin))
            let x = Reference.tensor([c.batch, c.h, c.w, c.cin], seed: 2)
            let y = Tensor(shape: [c.batch, c.h, c.w, c.cout])
            layer(x, y)
            let expected = Reference.linear(x.array, rows: c.batch * c.h * c.w, layer.linear.weight.array, layer.linear.bias.array,
                                            inFeatures: c.cin, outFeatures: c.cout).map { Reference.activation(.hardSwish, $0) }
            Reference.expectClose(y.array, expected, "\(c)")
        }
    }

    /// The projection with its residual, at a size that runs in several row panels.
    @Test func projectWithResidual() {
        let layer = Convolution1x1(inChannels: 72, outChannels: 24, seed: 4)
        let x = Reference.tensor([1, 56, 56, 72], seed: 5)
        let r = Reference.tensor([1, 56, 56, 24], seed: 6)
        let y = Tensor(shape: [1, 56, 56, 24])
        layer(x, y, residual: r)
        let expected = zip(Reference.linear(x.array, rows: 56 * 56, layer.linear.weight.array, layer.linear.bias.array,
                                            inFeatures: 72, outFeatures: 24), r.array).map { $0 + Double($1) }
        Reference.expectClose(y.array, expected)
    }

    /// Once-for-All's final "feature mix" 1x1 convolution on a pooled 1x1 map.
    @Test func featureMixOnOneByOneMap() {
        let layer = Convolution1x1(inChannels: 160, outChannels: 1280, activation: .hardSwish, seed: 7)
        let x = Reference.tensor([2, 1, 1, 160], seed: 8)
        let y = Tensor(shape: [2, 1, 1, 1280])
        layer(x, y)
        let expected = Reference.linear(x.array, rows: 2, layer.linear.weight.array, layer.linear.bias.array,
                                        inFeatures: 160, outFeatures: 1280).map { Reference.activation(.hardSwish, $0) }
        Reference.expectClose(y.array, expected)
    }
}
