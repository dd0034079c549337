import Foundation
import Support
import Testing

@Suite struct ChartTests {
    @Test func axisTicksAreRoundNumbersCoveringTheData() {
        let scale = AxisScale(covering: [4.26, 12.63])
        #expect(scale.lower <= 4.26 && scale.upper >= 12.63)
        #expect(scale.ticks == [4, 6, 8, 10, 12, 14])
        #expect(scale.label(6) == "6")
        let small = AxisScale(covering: [0.012, 0.049])
        #expect(small.ticks.first! <= 0.012 && small.ticks.last! >= 0.049)
        #expect(small.label(small.ticks[1]).contains("."))
        #expect(abs(small.fraction(small.lower)) < 1e-12 && abs(small.fraction(small.upper) - 1) < 1e-12)
    }

    @Test func aSingleValueGetsARangeAroundIt() {
        let scale = AxisScale(covering: [5, 5])
        #expect(scale.lower < 5 && scale.upper > 5)
        #expect(scale.ticks.count >= 2)
    }

    @Test func labelsAreEscaped() {
        #expect(SVGText.escaped("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;")
        var svg = SVGText(width: 10, height: 10)
        svg.text("x < y", x: 1, y: 2, size: 3)
        let text = svg.finished()
        #expect(text.contains("x &lt; y") && !text.contains("x < y"))
        #expect(text.hasPrefix("<?xml") && text.hasSuffix("</svg>\n"))
    }

    @Test func aScatterPlotHasItsAxesLabelsAndEveryPoint() {
        let plot = ScatterPlot(title: "front", xLabel: "Latency (ms)", yLabel: "Top-1 (%)",
                               series: [.init(name: "set", points: [(1, 70), (2, 72), (3, 73)], color: "#123456", connect: true)])
        let svg = plot.svg()
        #expect(svg.contains(">Latency (ms)<") && svg.contains(">Top-1 (%)<") && svg.contains(">set (3)<"))
        #expect(svg.components(separatedBy: "fill=\"#123456\"").count - 1 == 3 + 1)  // points + legend marker
        #expect(svg.contains("<polyline"))
    }

    @Test func csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(CSVTable.quoted("plain") == "plain")
        #expect(CSVTable.quoted("{'a': [1, 2]}") == "\"{'a': [1, 2]}\"")
        #expect(CSVTable.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
