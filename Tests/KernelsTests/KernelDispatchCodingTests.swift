import Foundation
import Kernels
import Testing

@Suite struct KernelDispatchCodingTests {
    /// A record round-trips, and one written before the attention core was recorded reads as
    /// `sgemm`: those builds had no other attention core.
    @Test func attentionDefaultsToSgemmInOlderRecords() throws {
        let current = KernelDispatch.describing(.avx512)
        let decoded = try JSONDecoder().decode(KernelDispatch.self, from: JSONEncoder().encode(current))
        #expect(decoded == current && decoded.attention == "avx512-fused/sgemm")
        let older = #"{"gemm":"avx512-8x32/avx2-4x24","depthwise":"avx512","elementwise":"avx512"}"#
        let legacy = try JSONDecoder().decode(KernelDispatch.self, from: Data(older.utf8))
        #expect(legacy.attention == "sgemm" && legacy.gemm == "avx512-8x32/avx2-4x24")
        #expect(legacy != current)
        let broken = #"{"gemm":"avx2-4x24","depthwise":"avx2"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(KernelDispatch.self, from: Data(broken.utf8)) }
    }
}
