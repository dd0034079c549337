import CBlas
import Foundation
import Support
import Testing
import Training

/// The time of one MiniLM-L6-H384 training step (batch 32, sequence 64, random ids, dropout
/// on) with two BLAS threads: forward + backward, and the AdamW update. A measurement, not a
/// check: it runs only when HWNAS_TRAINING_TIMING is set (build in release for numbers that
/// mean anything), and prints its figures.
@Suite struct TrainingStepTiming {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HWNAS_TRAINING_TIMING"] != nil))
    func miniLMStep() throws {
        let threads = Int(ProcessInfo.processInfo.environment["HWNAS_TRAINING_THREADS"] ?? "") ?? 2
        openblas_set_num_threads(Int32(threads))
        let (batch, length) = (32, 64)
        let configuration = BertConfiguration.miniLML6H384
        let model = try BertClassifier(configuration: configuration, maxBatch: batch, maxLength: length, seed: 1)
        let optimizer = AdamW(parameters: model.parameters)
        var generator = SeededGenerator(seed: 2)
        let ids = (0..<(batch * length)).map { i in i % length == 0 ? Int32(101) : Int32(1000 + generator.next() % 29_000) }
        let labels = (0..<batch).map { _ in Int32(generator.next() % 2) }
        let input = try TokenBatch(batch: batch, length: length, ids: ids, labels: labels)
        var forwardBackward: [Double] = [], forward: [Double] = [], update: [Double] = []
        for step in 0..<6 {
            model.zeroGradients()
            let t0 = MonotonicClock.now()
            try model.forward(input, training: true, step: step)
            let t1 = MonotonicClock.now()
            _ = try model.backward(labels: labels)
            let t2 = MonotonicClock.now()
            optimizer.update(learningRate: 1e-5)
            let t3 = MonotonicClock.now()
            if step > 0 {
                forward.append(Double(t1 - t0) / 1e9)
                forwardBackward.append(Double(t2 - t0) / 1e9)
                update.append(Double(t3 - t2) / 1e9)
            }
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let step = median(forwardBackward) + median(update)
        let flops = BertClassifier.trainingFlops(configuration, batch: batch, length: length)
        print("""
            MiniLM-L6-H384 step, batch \(batch) x \(length), \(threads) BLAS threads (median of \(forward.count)):
              forward \(String(format: "%.1f", median(forward) * 1e3)) ms, forward+backward \(String(format: "%.1f", median(forwardBackward) * 1e3)) ms, AdamW \(String(format: "%.1f", median(update) * 1e3)) ms
              \(String(format: "%.1f", Double(batch) / step)) samples/s with the update (\(String(format: "%.1f", Double(batch) / median(forwardBackward))) without)
              \(String(format: "%.1f", flops / 1e9)) GFLOP per step: \(String(format: "%.1f", flops / median(forwardBackward) / 1e9)) GFLOP/s in forward+backward
            """)
        #expect(step > 0)
    }
}
