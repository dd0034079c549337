import Support
import Testing

@Suite struct FNV1aTests {
    /// The published 64-bit FNV-1a test vectors: recorded data hashes stay comparable.
    @Test func publishedVectors() {
        func hash(_ text: String) -> UInt64 {
            var h = FNV1a()
            h.add(text)
            return h.value
        }
        #expect(hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func addingInPiecesIsAddingTheWhole() {
        var pieces = FNV1a(), whole = FNV1a()
        pieces.add("foo")
        pieces.add("bar")
        whole.add("foobar")
        #expect(pieces.value == whole.value)
    }
}
