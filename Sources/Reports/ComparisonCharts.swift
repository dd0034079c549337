import Foundation
import Search
import Support

/// The two pictures of a comparison: both fronts on the second device's latency axis, and the
/// blocks whose ratio departs most from the median.
public enum ComparisonCharts {
    /// The second device's own front and the first device's set evaluated on the second device,
    /// latency on the x axis and the other objective (accuracy when present) on y.
    public static func fronts(own: ParetoSet, transferred: [ParetoMember], first: String, second: String) -> String? {
        let (latency, other) = own.axes
        guard latency.kind == .latency, let otherIndex = own.objectives.firstIndex(of: other) else { return nil }
        func points(_ members: [ParetoMember]) -> [(x: Double, y: Double)] {
            members.compactMap { m in
                guard let x = m.values[.latency], let y = m.values[other.kind] else { return nil }
                return (x, other.kind.plotted(y))
            }
        }
        let plot = ScatterPlot(
            title: "\(own.space): Pareto sets on \(second)",
            subtitle: "\(second)'s own front, and \(first)'s front with its latency predicted on \(second)",
            xLabel: "Latency on \(second) (ms)", yLabel: own.labels[otherIndex],
            series: [
                .init(name: "\(first)'s set on \(second)", points: points(transferred), color: "#d95f02", connect: false, radius: 4),
                .init(name: "\(second)'s own set", points: points(own.front), color: "#1b65a6", connect: true, radius: 3.5),
            ])
        return plot.svg()
    }

    /// Horizontal bars of log2(relative ratio) for the blocks most and least dear on the
    /// second device relative to the median ratio.
    public static func ratios(_ c: DeviceComparison, count: Int = 12) -> String {
        let blocks = c.blocks.count <= 2 * count ? c.blocks : Array(c.blocks.prefix(count)) + Array(c.blocks.suffix(count))
        let rowHeight = 18.0, top = 74.0, left = 420.0, right = 90.0, width = 1000.0
        let height = top + Double(blocks.count) * rowHeight + 56
        let values = blocks.map { log2($0.relative) }
        let extent = max(values.map(abs).max() ?? 0.1, 0.05)
        let plotWidth = width - left - right
        let zero = left + plotWidth / 2
        func x(_ v: Double) -> Double { zero + v / extent * (plotWidth / 2 - 56) }
        var svg = SVGText(width: width, height: height)
        svg.text("\(c.space): block latency on \(c.second) relative to \(c.first)", x: width / 2, y: 26, size: 17, anchor: "middle", weight: "bold")
        svg.text("bar = ratio \(c.second)/\(c.first) over the median ratio \(String(format: "%.3f", c.medianRatio)) (log scale); right: relatively dearer on \(c.second)",
                 x: width / 2, y: 48, size: 12.5, anchor: "middle", color: "#555")
        for (index, block) in blocks.enumerated() {
            let y = top + Double(index) * rowHeight
            let v = values[index]
            svg.rect(x: min(x(v), zero), y: y + 3, width: max(abs(x(v) - zero), 0.5), height: rowHeight - 6,
                     fill: v >= 0 ? "#d95f02" : "#1b9e77")
            let label = block.key.count > 62 ? String(block.key.prefix(60)) + "…" : block.key
            svg.text(label, x: left - 8, y: y + rowHeight - 5, size: 11, anchor: "end")
            svg.text(String(format: "%.2fx", block.relative), x: v >= 0 ? x(v) + 4 : x(v) - 4, y: y + rowHeight - 5,
                     size: 11, anchor: v >= 0 ? "start" : "end", color: "#333")
        }
        let bottom = top + Double(blocks.count) * rowHeight
        svg.line(x1: zero, y1: top - 4, x2: zero, y2: bottom + 4, stroke: "#333")
        for tick in [-extent, -extent / 2, extent / 2, extent] {
            svg.line(x1: x(tick), y1: top - 4, x2: x(tick), y2: bottom, stroke: "#e0e0e0", dash: "3,3")
            svg.text(String(format: "%.2fx", pow(2, tick)), x: x(tick), y: bottom + 18, size: 11, anchor: "middle")
        }
        svg.text("1x", x: zero, y: bottom + 18, size: 11, anchor: "middle")
        if c.blocks.count > blocks.count {
            svg.text("\(c.blocks.count - blocks.count) blocks in between are left out (all are in the JSON)", x: width / 2, y: bottom + 40, size: 11.5, anchor: "middle", color: "#555")
        }
        return svg.finished()
    }
}
