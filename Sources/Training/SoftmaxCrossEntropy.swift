import Foundation

/// Softmax cross-entropy of a batch of logits against integer labels, averaged over the
/// batch (PyTorch's `CrossEntropyLoss()`), with the gradient of that mean.
///
/// Each row is evaluated in Double (log-sum-exp shifted by the row maximum): the rows are a
/// handful of classes, and the loss is what a run logs.
public enum SoftmaxCrossEntropy {
    /// The mean loss over `rows` rows of `classes` logits; writes
    /// (softmax(z) - onehot(label)) / rows into `gradient` when given. Labels must be in
    /// 0 ..< classes.
    public static func loss(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, classes: Int,
        gradient: UnsafeMutablePointer<Float>?
    ) -> Float {
        Float(lossSum(logits: logits, labels: labels, rows: rows, classes: classes, batch: rows, gradient: gradient) / Double(rows))
    }

    /// The summed loss of `rows` rows that belong to a batch of `batch` rows (a shard of it);
    /// writes the gradient of the batch's mean loss, (softmax(z) - onehot(label)) / batch, into
    /// `gradient` when given.
    public static func lossSum(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, classes: Int, batch: Int,
        gradient: UnsafeMutablePointer<Float>?
    ) -> Double {
        precondition(rows > 0 && classes > 0 && batch >= rows, "cross-entropy of \(rows) x \(classes) in a batch of \(batch)")
        var total = 0.0
        for r in 0..<rows {
            let z = logits + r * classes
            let label = Int(labels[r])
            precondition(label >= 0 && label < classes, "cross-entropy: label \(label) of \(classes) classes")
            var maximum = -Double.infinity
            for c in 0..<classes { maximum = max(maximum, Double(z[c])) }
            var sum = 0.0
            for c in 0..<classes { sum += Foundation.exp(Double(z[c]) - maximum) }
            let logSum = maximum + Foundation.log(sum)
            total += logSum - Double(z[label])
            if let gradient {
                let g = gradient + r * classes
                for c in 0..<classes {
                    let probability = Foundation.exp(Double(z[c]) - logSum)
                    g[c] = Float((probability - (c == label ? 1 : 0)) / Double(batch))
                }
            }
        }
        return total
    }
}
