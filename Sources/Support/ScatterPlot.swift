import Foundation

/// A two-dimensional scatter plot written as a standalone SVG file: Pareto fronts and the
/// populations around them, readable without any other tool.
public struct ScatterPlot: Sendable {
    /// One set of points drawn alike.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// A CSS colour.
        public var color: String
        /// Join the points, sorted by x, with a line (a front); otherwise points only.
        public var connect: Bool
        public var radius: Double

        public init(name: String, points: [(x: Double, y: Double)], color: String, connect: Bool = false, radius: Double = 3.5) {
            self.name = name
            self.points = points
            self.color = color
            self.connect = connect
            self.radius = radius
        }
    }

    public var title: String
    public var subtitle: String?
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var width = 760.0
    public var height = 520.0

    public init(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    public func svg() -> String {
        let left = 84.0, right = 24.0, top = subtitle == nil ? 52.0 : 70.0, bottom = 64.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = series.flatMap(\.points)
        let xs = AxisScale(covering: all.map(\.x)), ys = AxisScale(covering: all.map(\.y))
        func px(_ x: Double) -> Double { left + xs.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - ys.fraction(y)) * plotHeight }
        var svg = SVGText(width: width, height: height)
        svg.text(title, x: width / 2, y: 26, size: 17, anchor: "middle", weight: "bold")
        if let subtitle { svg.text(subtitle, x: width / 2, y: 48, size: 12.5, anchor: "middle", color: "#555") }
        svg.rect(x: left, y: top, width: plotWidth, height: plotHeight, fill: "#fcfcfc", stroke: "#999")
        for tick in xs.ticks {
            let x = px(tick)
            svg.line(x1: x, y1: top, x2: x, y2: top + plotHeight, stroke: "#e4e4e4")
            svg.text(xs.label(tick), x: x, y: top + plotHeight + 18, size: 12, anchor: "middle")
        }
        for tick in ys.ticks {
            let y = py(tick)
            svg.line(x1: left, y1: y, x2: left + plotWidth, y2: y, stroke: "#e4e4e4")
            svg.text(ys.label(tick), x: left - 8, y: y + 4, size: 12, anchor: "end")
        }
        svg.text(xLabel, x: left + plotWidth / 2, y: height - 18, size: 13.5, anchor: "middle")
        svg.text(yLabel, x: 20, y: top + plotHeight / 2, size: 13.5, anchor: "middle", rotate: -90)
        for entry in series {
            if entry.connect, entry.points.count > 1 {
                let path = entry.points.sorted { $0.x < $1.x }.map { "\(SVGText.number(px($0.x))),\(SVGText.number(py($0.y)))" }
                svg.polyline(path, stroke: entry.color)
            }
            for point in entry.points {
                svg.circle(cx: px(point.x), cy: py(point.y), r: entry.radius, fill: entry.color)
            }
        }
        // Legend, bottom right inside the plot, where a front (rising or falling towards the
        // lower right) leaves room.
        let named = series.filter { !$0.name.isEmpty }
        let legendWidth = 34 + 7.2 * Double(named.map { "\($0.name) (\($0.points.count))".count }.max() ?? 0)
        var legendY = top + plotHeight - 12 - 18 * Double(max(named.count - 1, 0))
        let legendX = left + plotWidth - legendWidth - 8
        if !named.isEmpty {
            svg.rect(x: legendX - 6, y: legendY - 16, width: legendWidth + 6, height: 18 * Double(named.count) + 6, fill: "white", stroke: "#ccc")
        }
        for entry in named {
            svg.circle(cx: legendX + 6, cy: legendY - 4, r: 5, fill: entry.color)
            svg.text("\(entry.name) (\(entry.points.count))", x: legendX + 18, y: legendY, size: 12.5)
            legendY += 18
        }
        return svg.finished()
    }
}
