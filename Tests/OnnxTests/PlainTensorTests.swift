import Onnx
import Testing

@Suite struct PlainTensorTests {
    /// permuted against index arithmetic written out: element [a, b, c, d] of an HWIO weight
    /// lands at [d, c, a, b] of OIHW.
    @Test func permutationMovesEveryElementWhereNumpyWould() throws {
        let shape = [2, 3, 4, 5]
        let source = try PlainTensor(shape: shape, values: (0..<120).map(Float.init))
        let result = source.permuted([3, 2, 0, 1])
        #expect(result.shape == [5, 4, 2, 3])
        for a in 0..<2 { for b in 0..<3 { for c in 0..<4 { for d in 0..<5 {
            let from = ((a * 3 + b) * 4 + c) * 5 + d
            let to = ((d * 4 + c) * 2 + a) * 3 + b
            #expect(result.values[to] == source.values[from])
        } } } }
    }

    @Test func slicesAndConcatenationsAreInverse() throws {
        let m = try PlainTensor(shape: [3, 4], values: (0..<12).map(Float.init))
        #expect(m.columns(1..<3).values == [1, 2, 5, 6, 9, 10])
        #expect(m.rows(1..<2).values == [4, 5, 6, 7])
        #expect(PlainTensor.concatenatingColumns([m.columns(0..<1), m.columns(1..<4)]) == m)
        #expect(PlainTensor.concatenatingRows([m.rows(0..<2), m.rows(2..<3)]) == m)
        #expect(m.transposed().transposed() == m)
        #expect(m.transposed().values == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        #expect(throws: (any Error).self) { try PlainTensor(shape: [2, 2], values: [1]) }
    }
}
