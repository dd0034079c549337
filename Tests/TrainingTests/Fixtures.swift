import Kernels
import Support
import Testing
import Training

/// Random data, buffers and comparisons shared by the training tests.
enum Fixtures {
    /// `count` values uniform in [-scale, scale) from `seed`.
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextSymmetricFloat() * scale }
    }

    /// A tensor holding `values`.
    static func tensor(_ values: [Float]) -> Tensor {
        try! Tensor(shape: [values.count], values: values)
    }

    /// Every value of `store` uniform in ±scale from `seed`; tensors whose name ends in
    /// `LayerNorm.weight` in 1 ± scale (a normalisation far from the identity, not near 0).
    static func randomize(_ store: ParameterStore, seed: UInt64, scale: Float = 0.5) {
        var generator = SeededGenerator(seed: seed)
        for tensor in store.tensors {
            let offset: Float = tensor.name.hasSuffix("LayerNorm.weight") || tensor.name == "gamma" ? 1 : 0
            for i in 0..<tensor.count { tensor.value[i] = offset + generator.nextSymmetricFloat() * scale }
        }
    }

    static func values(_ tensor: ParameterTensor) -> [Double] {
        (0..<tensor.count).map { Double(tensor.value[$0]) }
    }

    static func gradient(_ tensor: ParameterTensor) -> [Float] {
        Array(UnsafeBufferPointer(start: tensor.gradient, count: tensor.count))
    }

    static func array(_ pointer: UnsafePointer<Float>, _ count: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "dot of \(a.count) and \(b.count) values")
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    /// Central differences (f(x + h·e_i) - f(x - h·e_i)) / 2h at each of `indices`.
    static func centralDifferences(
        _ point: [Double], at indices: [Int], step: Double = 1e-4, _ f: ([Double]) -> Double
    ) -> [Double] {
        indices.map { i in
            var plus = point, minus = point
            plus[i] += step
            minus[i] -= step
            return (f(plus) - f(minus)) / (2 * step)
        }
    }

    /// Up to `count` distinct indices below `bound` from `seed`, always including 0 and the last.
    static func sample(_ count: Int, below bound: Int, seed: UInt64) -> [Int] {
        if bound <= count { return Array(0..<bound) }
        var generator = SeededGenerator(seed: seed)
        var chosen: Set<Int> = [0, bound - 1]
        while chosen.count < count { chosen.insert(Int(generator.next() % UInt64(bound))) }
        return chosen.sorted()
    }

    /// The largest error of `actual` against `expected`, judged against the larger of each
    /// expected value and `floor` times the largest expected magnitude (values near zero from
    /// cancellation are judged on the scale of the whole set).
    static func relativeError(_ actual: [Float], _ expected: [Double], floor: Double = 1e-2, absolute: Double = 1e-30) -> Double {
        precondition(actual.count == expected.count, "\(actual.count) values against \(expected.count)")
        let magnitude = expected.reduce(0) { max($0, abs($1)) }
        var worst = 0.0
        for (a, e) in zip(actual, expected) {
            guard a.isFinite else { return .infinity }
            let denominator = max(abs(e), magnitude * floor, absolute)
            worst = max(worst, abs(Double(a) - e) / denominator)
        }
        return worst
    }

    static func expectClose(
        _ actual: [Float], _ expected: [Double], tolerance: Double, floor: Double = 1e-2, absolute: Double = 1e-30,
        _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = relativeError(actual, expected, floor: floor, absolute: absolute)
        #expect(error <= tolerance, "relative error \(error) > \(tolerance) \(comment())", sourceLocation: sourceLocation)
    }

    /// Expects `body` to throw an `HwnasError` whose message contains `phrase`.
    static func expectError(
        _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        let error = #expect(throws: HwnasError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "no error") lacks \(phrase)", sourceLocation: sourceLocation)
    }
}
