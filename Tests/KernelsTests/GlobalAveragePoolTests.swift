import Kernels
import Testing

@Suite struct GlobalAveragePoolTests {
    @Test func matchesReference() {
        for (n, h, w, c) in [(1, 1, 1, 1), (2, 7, 7, 3), (1, 13, 13, 17), (2, 33, 33, 40), (1, 1, 1, 960)] {
            let x = Reference.tensor([n, h, w, c], seed: UInt64(c))
            let y = Tensor(shape: [n, c])
            GlobalAveragePool()(x, y)
            var expected = [Double](repeating: 0, count: n * c)
            for i in 0..<n { for p in 0..<(h * w) { for j in 0..<c { expected[i * c + j] += Double(x.pointer[(i * h * w + p) * c + j]) / Double(h * w) } } }
            Reference.expectClose(y.array, expected, "\([n, h, w, c])")
        }
    }
}
