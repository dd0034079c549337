/// A linear layer y = x·Wᵀ + b on a slice of its weight, with its backward pass.
///
/// W is [R, C] row-major (Hugging Face's [out, in]); the layer uses its first `outputs` rows
/// and first `inputs` columns in place, at leading dimension C, and the bias's first
/// `outputs` values. That is how a weight-shared sub-network runs fewer heads or intermediate
/// units: no copy of the slice is made, and its gradient lands in the same slice of the full
/// gradient (the rest of the gradient is not touched).
///
/// Every product is one `cblas_sgemm`. The forward writes the bias into y first and lets the
/// product accumulate onto it (beta = 1), which costs OpenBLAS nothing over beta = 0 and saves
/// a pass over y. The forward keeps a pointer to its input, which the caller must leave
/// unchanged until the backward.
public final class LinearOp {
    public let weight: ParameterTensor
    public let bias: ParameterTensor?
    /// Active rows of the weight (output features), at most `weight.rows`.
    public var outputs: Int {
        didSet { precondition(outputs > 0 && outputs <= weight.rows, "\(weight.name): \(outputs) of \(weight.rows) rows") }
    }
    /// Active columns of the weight (input features), at most `weight.columns`.
    public var inputs: Int {
        didSet { precondition(inputs > 0 && inputs <= weight.columns, "\(weight.name): \(inputs) of \(weight.columns) columns") }
    }

    private var savedInput: UnsafePointer<Float>?
    private var savedStride = 0
    private var savedRows = 0

    /// The whole weight active; `bias` (if any) must have as many values as the weight has rows.
    public init(weight: ParameterTensor, bias: ParameterTensor?) {
        precondition(weight.shape.count == 2, "\(weight.name): a linear weight is [out, in], got \(weight.shape)")
        if let bias { precondition(bias.count == weight.rows, "\(bias.name): \(bias.count) values for \(weight.rows) outputs") }
        self.weight = weight
        self.bias = bias
        outputs = weight.rows
        inputs = weight.columns
    }

    /// y[rows, outputs] (stride `ldy`) = x[rows, inputs] (stride `ldx`) · W[:outputs, :inputs]ᵀ + b.
    public func forward(
        _ x: UnsafePointer<Float>, stride xStride: Int? = nil, rows: Int,
        into y: UnsafeMutablePointer<Float>, stride yStride: Int? = nil
    ) {
        let ldx = xStride ?? inputs, ldy = yStride ?? outputs
        savedInput = x
        savedStride = ldx
        savedRows = rows
        if let bias {
            for r in 0..<rows { (y + r * ldy).update(from: bias.value, count: outputs) }
        }
        Blas.gemm(
            transposeB: true, m: rows, n: outputs, k: inputs,
            a: x, lda: ldx, b: weight.value, ldb: weight.columns,
            beta: bias == nil ? 0 : 1, c: y, ldc: ldy)
    }

    /// Adds dyᵀ·x to the weight slice's gradient and Σ dy to the bias's; writes dy·W_slice to
    /// `dx` (adds it when `accumulate`), unless `dx` is nil. dy is [rows, outputs] at `ldy`.
    public func backward(
        _ dy: UnsafePointer<Float>, stride yStride: Int? = nil,
        into dx: UnsafeMutablePointer<Float>?, stride xStride: Int? = nil, accumulate: Bool = false
    ) {
        guard let x = savedInput else { preconditionFailure("\(weight.name): backward before forward") }
        let ldy = yStride ?? outputs
        let rows = savedRows
        Blas.gemm(
            transposeA: true, m: outputs, n: inputs, k: rows,
            a: dy, lda: ldy, b: x, ldb: savedStride,
            beta: 1, c: weight.gradient, ldc: weight.columns)
        if let bias {
            Elementwise.accumulateColumnSums(dy, rows: rows, columns: outputs, ld: ldy, into: bias.gradient)
        }
        if let dx {
            Blas.gemm(
                m: rows, n: inputs, k: outputs,
                a: dy, lda: ldy, b: weight.value, ldb: weight.columns,
                beta: accumulate ? 1 : 0, c: dx, ldc: xStride ?? inputs)
        }
    }
}
