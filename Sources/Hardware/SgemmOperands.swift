import CBlas

/// Three square matrices for sgemm, the roofline's kernel (calibration, profile references,
/// speed probes), freed with the object.
public final class SgemmOperands: @unchecked Sendable {
    public let n: Int
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
    let c: UnsafeMutablePointer<Float>

    public init(order n: Int) {
        self.n = n
        a = .allocate(capacity: n * n)
        b = .allocate(capacity: n * n)
        c = .allocate(capacity: n * n)
        for i in 0..<(n * n) {
            a[i] = Float(i % 97) * 0.01 - 0.4
            b[i] = Float(i % 89) * 0.01 - 0.4
            c[i] = 0
        }
    }

    deinit {
        a.deallocate()
        b.deallocate()
        c.deallocate()
    }

    /// C = A * B, with the threads the BLAS has been given.
    public func multiply() {
        let n32 = Int32(n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a, n32, b, n32, 0, c, n32)
    }
}
