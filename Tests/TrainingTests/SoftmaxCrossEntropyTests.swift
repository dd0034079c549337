import Kernels
import Testing
import Training

@Suite struct SoftmaxCrossEntropyTests {
    /// The mean loss against the Double reference, its gradient against central differences,
    /// and a large logit that would overflow a naive exponential.
    @Test func lossAndGradient() {
        let (rows, classes) = (4, 3)
        var logitValues = Fixtures.random(rows * classes, seed: 2, scale: 3)
        logitValues[4] = 95
        let labels: [Int32] = [0, 2, 1, 2]
        let logits = Fixtures.tensor(logitValues)
        let gradient = Tensor(shape: [rows * classes])
        let loss = labels.withUnsafeBufferPointer {
            SoftmaxCrossEntropy.loss(logits: logits.pointer, labels: $0.baseAddress!, rows: rows, classes: classes, gradient: gradient.pointer)
        }
        let zd = logitValues.map(Double.init)
        let expected = Reference.crossEntropy(zd, labels: labels, classes: classes)
        #expect(abs(Double(loss) - expected) <= 1e-6 * max(1, expected))
        let fd = Fixtures.centralDifferences(zd, at: Array(zd.indices)) { Reference.crossEntropy($0, labels: labels, classes: classes) }
        Fixtures.expectClose(gradient.array, fd, tolerance: 1e-4)
        // Each row's gradient sums to 0.
        for r in 0..<rows { #expect(abs(gradient.array[(r * classes)..<((r + 1) * classes)].reduce(0, +)) < 1e-6) }
    }
}
