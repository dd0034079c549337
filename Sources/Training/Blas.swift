import CBlas

/// Row-major `cblas_sgemm`, the one place the training ops call it: every matrix product of a
/// step, forward and backward, goes through here, so OpenBLAS's threads (as many as the caller
/// gave it) split every product.
enum Blas {
    /// c[m, n] = alpha · op(a) · op(b) + beta · c, all row-major with leading dimensions
    /// `lda`, `ldb`, `ldc`; op(a) is [m, k] (stored [k, m] when `transposeA`), op(b) is [k, n]
    /// (stored [n, k] when `transposeB`).
    @inline(__always)
    static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // OpenBLAS returns at once for k = 0; the product is then beta · c.
            for row in 0..<m {
                let p = c + row * ldc
                if beta == 0 { p.update(repeating: 0, count: n) } else if beta != 1 {
                    for j in 0..<n { p[j] *= beta }
                }
            }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
