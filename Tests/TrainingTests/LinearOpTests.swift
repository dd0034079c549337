import Kernels
import Testing
import Training

@Suite struct LinearOpTests {
    /// A [4 rows, 5 columns] view of a [6, 7] weight, inputs and outputs at wider strides:
    /// output, input gradient and parameter gradients against a Double reference and its finite
    /// differences; everything outside the slice (weight gradient, bias gradient, output and
    /// input-gradient columns past the view) keeps the value it had.
    @Test func slicedForwardAndGradientsStayInTheSlice() throws {
        let (fullRows, fullColumns, outputs, inputs, rows, ldx, ldy) = (6, 7, 4, 5, 3, 9, 6)
        let store = try ParameterStore([("w", [fullRows, fullColumns]), ("b", [fullRows])])
        Fixtures.randomize(store, seed: 1)
        let sentinel: Float = 0.25
        store.gradients.update(repeating: sentinel, count: store.capacity)
        let w = store["w"]!, b = store["b"]!
        let op = LinearOp(weight: w, bias: b)
        op.outputs = outputs
        op.inputs = inputs

        let xValues = Fixtures.random(rows * ldx, seed: 2)
        let x = Fixtures.tensor(xValues)
        let y = Tensor(shape: [rows * ldy])
        y.fill(7)
        op.forward(x.pointer, stride: ldx, rows: rows, into: y.pointer, stride: ldy)

        func dense(_ x: [Double]) -> [Double] {
            (0..<rows).flatMap { i in (0..<inputs).map { j in x[i * ldx + j] } }
        }
        let xd = xValues.map(Double.init)
        let expected = Reference.linear(dense(xd), rows: rows, inputs: inputs, weight: Fixtures.values(w), stride: fullColumns,
                                        outputs: outputs, bias: Fixtures.values(b))
        let actual = (0..<rows).flatMap { i in (0..<outputs).map { o in y.pointer[i * ldy + o] } }
        Fixtures.expectClose(actual, expected, tolerance: 1e-5)
        for i in 0..<rows { for o in outputs..<ldy { #expect(y.pointer[i * ldy + o] == 7) } }

        let g = Fixtures.random(rows * ldy, seed: 3).map(Double.init)
        let gDense = (0..<rows).flatMap { i in (0..<outputs).map { o in g[i * ldy + o] } }
        let gTensor = Fixtures.tensor(g.map(Float.init))
        let dx = Tensor(shape: [rows * ldx])
        dx.fill(0.5)
        op.backward(gTensor.pointer, stride: ldy, into: dx.pointer, stride: ldx, accumulate: true)

        func objective(x: [Double], w: [Double], b: [Double]) -> Double {
            Fixtures.dot(gDense, Reference.linear(dense(x), rows: rows, inputs: inputs, weight: w, stride: fullColumns, outputs: outputs, bias: b))
        }
        let wd = Fixtures.values(w), bd = Fixtures.values(b)
        let dxExpected = Fixtures.centralDifferences(xd, at: Array(xd.indices)) { objective(x: $0, w: wd, b: bd) }
        let dwExpected = Fixtures.centralDifferences(wd, at: Array(wd.indices)) { objective(x: xd, w: $0, b: bd) }
        let dbExpected = Fixtures.centralDifferences(bd, at: Array(bd.indices)) { objective(x: xd, w: wd, b: $0) }
        // Inside the views: the gradient added to what was there. Outside: untouched.
        Fixtures.expectClose(Fixtures.array(dx.pointer, dx.count).map { $0 - 0.5 }, dxExpected, tolerance: 1e-4)
        Fixtures.expectClose(Fixtures.gradient(w).map { $0 - sentinel }, dwExpected, tolerance: 1e-4)
        Fixtures.expectClose(Fixtures.gradient(b).map { $0 - sentinel }, dbExpected, tolerance: 1e-4)
        for i in 0..<rows { for j in inputs..<ldx { #expect(dx.pointer[i * ldx + j] == 0.5, "dx[\(i), \(j)]") } }
        for o in 0..<fullRows {
            for j in 0..<fullColumns where o >= outputs || j >= inputs {
                #expect(w.gradient[o * fullColumns + j] == sentinel, "weight gradient [\(o), \(j)] outside the slice")
            }
        }
        for o in outputs..<fullRows { #expect(b.gradient[o] == sentinel, "bias gradient [\(o)] outside the slice") }
        // Sanity of the check itself: the slice's gradient is not all zero.
        #expect(dwExpected.contains { abs($0) > 1e-3 })
    }

    /// Without a bias the output is the product alone; `accumulate: false` overwrites dx.
    @Test func noBiasAndOverwrite() throws {
        let store = try ParameterStore([("w", [3, 4])])
        Fixtures.randomize(store, seed: 5)
        let op = LinearOp(weight: store["w"]!, bias: nil)
        let xValues = Fixtures.random(2 * 4, seed: 6)
        let x = Fixtures.tensor(xValues)
        let y = Tensor(shape: [2 * 3])
        y.fill(100)
        op.forward(x.pointer, rows: 2, into: y.pointer)
        let expected = Reference.linear(xValues.map(Double.init), rows: 2, inputs: 4, weight: Fixtures.values(store["w"]!), stride: 4, outputs: 3, bias: nil)
        Fixtures.expectClose(y.array, expected, tolerance: 1e-5)
        let g = Fixtures.tensor(Fixtures.random(6, seed: 7))
        let dx = Tensor(shape: [8])
        dx.fill(100)
        op.backward(g.pointer, into: dx.pointer)
        // dx = g·W.
        let w = Fixtures.values(store["w"]!)
        let gd = g.array.map(Double.init)
        let dxExpected = (0..<2).flatMap { i in (0..<4).map { j in (0..<3).reduce(0.0) { $0 + gd[i * 3 + $1] * w[$1 * 4 + j] } } }
        Fixtures.expectClose(dx.array, dxExpected, tolerance: 1e-5)
    }
}
