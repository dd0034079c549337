import Foundation
import Kernels
import Testing
import Training

@Suite struct PoolerOpTests {
    /// tanh(dense([CLS])) against the reference; the backward writes the first token's rows of
    /// each sequence (matching central differences) and nothing else; weight gradients too.
    @Test func forwardAndGradients() throws {
        let (batch, length, h) = (3, 4, 8)
        let store = try ParameterStore([("w", [h, h]), ("b", [h])])
        Fixtures.randomize(store, seed: 8)
        let op = PoolerOp(dense: LinearOp(weight: store["w"]!, bias: store["b"]!), maxBatch: batch)
        let statesValues = Fixtures.random(batch * length * h, seed: 9)
        let states = Fixtures.tensor(statesValues)
        op.forward(states.pointer, batch: batch, length: length)
        var values = Dictionary(uniqueKeysWithValues: store.tensors.map { ($0.name, Fixtures.values($0)) })
        func reference(_ s: [Double], _ v: [String: [Double]]) -> [Double] {
            let first = (0..<batch).flatMap { b in s[(b * length * h)..<(b * length * h + h)] }
            return Reference.linear(Array(first), rows: batch, inputs: h, weight: v["w"]!, stride: h, outputs: h, bias: v["b"]!)
                .map { Foundation.tanh($0) }
        }
        let sd = statesValues.map(Double.init)
        Fixtures.expectClose(Fixtures.array(op.result.pointer, batch * h), reference(sd, values), tolerance: 1e-5)

        let g = Fixtures.random(batch * h, seed: 10).map(Double.init)
        let dPooled = Fixtures.tensor(g.map(Float.init))
        let dStates = Tensor(shape: [batch * length * h])
        dStates.fill(9)
        op.backward(dPooled.pointer, into: dStates.pointer)
        let expected = Fixtures.centralDifferences(sd, at: Array(sd.indices)) { Fixtures.dot(g, reference($0, values)) }
        for t in 0..<(batch * length) where t % length != 0 {
            #expect(dStates.array[(t * h)..<((t + 1) * h)].allSatisfy { $0 == 9 }, "row \(t) is not a first token")
        }
        let firstRows = (0..<batch).flatMap { b in (0..<h).map { b * length * h + $0 } }
        Fixtures.expectClose(firstRows.map { dStates.pointer[$0] }, firstRows.map { expected[$0] }, tolerance: 1e-3)
        for tensor in store.tensors {
            let point = values[tensor.name]!
            let fd = Fixtures.centralDifferences(point, at: Array(point.indices)) { changed in
                values[tensor.name] = changed
                defer { values[tensor.name] = point }
                return Fixtures.dot(g, reference(sd, values))
            }
            Fixtures.expectClose(Fixtures.gradient(tensor), fd, tolerance: 1e-3, "\(tensor.name)")
        }
    }
}
