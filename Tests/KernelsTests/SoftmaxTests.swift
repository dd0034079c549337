import Foundation
import Kernels
import Testing

extension KernelVariantSuites {
    @Suite struct SoftmaxTests {
        @Test(arguments: KernelVariant.runnable, [1, 3, 5, 7, 8, 13, 16, 17, 31, 33, 40, 72, 120, 128, 197])
        func matchesReference(_ variant: KernelVariant, _ columns: Int) {
            KernelDispatch.forcing(variant) { check(columns) }
        }

        func check(_ columns: Int) {
            let x = Reference.tensor([3, columns], seed: UInt64(columns), scale: 20)
            x[1, columns - 1] = 80  // large values must not overflow
            let expected = (0..<3).flatMap { r -> [Double] in
                let row = (0..<columns).map { Double(x[r, $0]) }
                let m = row.max()!
                let e = row.map { Foundation.exp($0 - m) }
                let s = e.reduce(0, +)
                return e.map { $0 / s }
            }
            Softmax()(x)
            Reference.expectClose(x.array, expected, tolerance: 1e-5, "\(KernelDispatch.variant) columns \(columns)")
            for r in 0..<3 {
                let sum = (0..<columns).reduce(0.0) { $0 + Double(x[r, $1]) }
                #expect(abs(sum - 1) < 1e-5)
            }
        }
    }
}
