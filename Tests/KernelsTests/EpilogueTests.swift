@testable import Kernels
import Testing

/// The GEMM epilogue on sixteen lanes (AVX-512) against the eight-lane one: the same values,
/// bit for bit, on blocks whose width leaves every tail, with and without a residual.
@Suite struct EpilogueTests {
    @Test(arguments: Activation.allCases)
    func sixteenLanesMatchEight(_ activation: Activation) {
        for columns in [1, 3, 7, 8, 15, 16, 17, 33, 40, 72, 120] {
            let rows = 5, ldc = columns + 3, ldr = columns + 1
            let start = Reference.random(rows * ldc, seed: UInt64(columns), scale: 6)
            let bias = Reference.random(columns, seed: 99, scale: 1)
            let residual = Reference.random(rows * ldr, seed: 7, scale: 1)
            for withResidual in [false, true] {
                var narrow = start, wide = start
                bias.withUnsafeBufferPointer { b in
                    residual.withUnsafeBufferPointer { r in
                        narrow.withUnsafeMutableBufferPointer { c in
                            activation.epilogue(c.baseAddress!, ldc: ldc, rows: rows, columns: columns, bias: b.baseAddress!,
                                                residual: withResidual ? r.baseAddress! : nil, ldr: ldr)
                        }
                        wide.withUnsafeMutableBufferPointer { c in
                            activation.epilogue16(c.baseAddress!, ldc: ldc, rows: rows, columns: columns, bias: b.baseAddress!,
                                                  residual: withResidual ? r.baseAddress! : nil, ldr: ldr)
                        }
                    }
                }
                #expect(narrow == wide, "\(activation) columns \(columns) residual \(withResidual)")
            }
        }
    }
}
