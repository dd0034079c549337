import Foundation

/// The distillation term of an InstaTune step: T²·KL(softmax(z_t/T) || softmax(z_s/T)),
/// averaged over the batch (PyTorch's `kl_div(log_softmax(z_s/T), softmax(z_t/T),
/// reduction="batchmean") * T * T`), with the teacher detached.
///
/// Rows are a handful of classes: each is evaluated in Double, log-sum-exp shifted by its
/// maximum. The gradient with respect to the student's logits is T·(q_s − q_t)/rows with
/// q = softmax(z/T); the teacher gets none.
public enum DistillationLoss {
    /// InstaTune's (DyNAS-T's) temperature.
    public static let defaultTemperature = 5.0

    /// The batch-mean KL term scaled by T²; writes its gradient with respect to `student` into
    /// `gradient` when given (adding to what is there when `accumulate`).
    public static func loss(
        student: UnsafePointer<Float>, teacher: UnsafePointer<Float>, rows: Int, classes: Int, temperature: Double,
        gradient: UnsafeMutablePointer<Float>?, accumulate: Bool = false
    ) -> Float {
        precondition(rows > 0 && classes > 0 && temperature > 0, "distillation of \(rows) x \(classes) at T = \(temperature)")
        var total = 0.0
        var studentLog = [Double](repeating: 0, count: classes)
        var teacherLog = [Double](repeating: 0, count: classes)
        for r in 0..<rows {
            logSoftmax(student + r * classes, classes: classes, temperature: temperature, into: &studentLog)
            logSoftmax(teacher + r * classes, classes: classes, temperature: temperature, into: &teacherLog)
            for c in 0..<classes {
                let q = Foundation.exp(teacherLog[c])
                total += q * (teacherLog[c] - studentLog[c])
                if let gradient {
                    let g = Float(temperature * (Foundation.exp(studentLog[c]) - q) / Double(rows))
                    gradient[r * classes + c] = accumulate ? gradient[r * classes + c] + g : g
                }
            }
        }
        return Float(temperature * temperature * total / Double(rows))
    }

    /// log softmax(z / T) of one row.
    static func logSoftmax(_ z: UnsafePointer<Float>, classes: Int, temperature: Double, into result: inout [Double]) {
        var maximum = -Double.infinity
        for c in 0..<classes { maximum = max(maximum, Double(z[c]) / temperature) }
        var sum = 0.0
        for c in 0..<classes { sum += Foundation.exp(Double(z[c]) / temperature - maximum) }
        let logSum = maximum + Foundation.log(sum)
        for c in 0..<classes { result[c] = Double(z[c]) / temperature - logSum }
    }
}
