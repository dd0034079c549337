import Kernels
import Support
import Testing

@Suite struct TensorTests {
    @Test func zeroedAlignedAndShaped() {
        let t = Tensor(shape: [2, 3, 5, 7])
        #expect(t.count == 210)
        #expect(t.shape == [2, 3, 5, 7])
        #expect(Int(bitPattern: t.pointer) % 64 == 0)
        #expect(t.array.allSatisfy { $0 == 0 })
    }

    @Test func seededFillIsDeterministicAndInRange() {
        let a = Tensor(shape: [1000], seed: 42, scale: 0.5)
        let b = Tensor(shape: [1000], seed: 42, scale: 0.5)
        let c = Tensor(shape: [1000], seed: 43, scale: 0.5)
        #expect(a.array == b.array)
        #expect(a.array != c.array)
        #expect(a.array.allSatisfy { $0 >= -0.5 && $0 < 0.5 })
        #expect(a.array.contains { $0 < -0.4 } && a.array.contains { $0 > 0.4 })
    }

    @Test func subscriptsAreRowMajor() throws {
        let t = try Tensor(shape: [2, 3, 4], values: (0..<24).map(Float.init))
        #expect(t[1, 2, 3] == 23)
        #expect(t[0, 1, 2] == 6)
        t[1, 0, 0] = -1
        #expect(t.pointer[12] == -1)
        t.reshape([6, 4])
        #expect(t[3, 0] == -1)
    }

    @Test func wrongValueCountThrows() throws {
        let error = try #require(throws: HwnasError.self) { try Tensor(shape: [2, 2], values: [1, 2, 3]) }
        #expect(error.message.contains("[2, 2]") && error.message.contains("got 3"), "message: \(error.message)")
    }

    @Test func addIsElementwiseForOddCounts() {
        for count in [1, 7, 8, 13, 33, 100] {
            let a = Reference.tensor([count], seed: 1)
            let b = Reference.tensor([count], seed: 2)
            let expected = zip(a.array, b.array).map { Double($0) + Double($1) }
            a.add(b)
            Reference.expectClose(a.array, expected, tolerance: 1e-6)
        }
    }
}
