import SuperNet
import Testing

@Suite struct CountFormatTests {
    @Test func countsReadInMillions() {
        #expect(CountFormat.millions(219_372_544) == 219.372544)
        // Round counts stay round: an axis ending at 200M ends there, not one bit above.
        #expect(CountFormat.millions(200_000_000) == 200)
        #expect(CountFormat.text(12_345_678, format: "%.2f") == "12.35M")
        #expect(CountFormat.text(5_400_000, format: "%.4g") == "5.4M")
    }
}
