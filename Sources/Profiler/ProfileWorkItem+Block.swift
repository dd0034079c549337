import CBlas
import SuperNet

extension ProfileWorkItem {
    /// A block configuration of a space, built only when its chunk is measured.
    public init(block: Block, options: ExecutionOptions, seed: UInt64 = 1) {
        self.init(key: block.key, flops: block.flops(batch: options.batch), bytes: block.bytes(batch: options.batch)) {
            let runnable = try RunnableBlock(block, options: options, seed: seed)
            return runnable.run
        }
    }

    /// The reference workload: single-precision GEMM of square matrices of order `n` through
    /// the BLAS, with whatever threads the BLAS has been given (the calibration's kernel).
    public static func sgemmReference(order n: Int) -> ProfileWorkItem {
        ProfileWorkItem(key: "reference-sgemm-\(n)", flops: 2 * Double(n) * Double(n) * Double(n), bytes: 12 * Double(n * n)) {
            let storage = SgemmOperands(order: n)
            return { storage.multiply() }
        }
    }
}

/// Three square matrices that live as long as the closure using them.
final class SgemmOperands: @unchecked Sendable {
    let n: Int
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
    let c: UnsafeMutablePointer<Float>

    init(order n: Int) {
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

    func multiply() {
        let n32 = Int32(n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n32, n32, n32, 1, a, n32, b, n32, 0, c, n32)
    }
}
