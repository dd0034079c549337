import Foundation

/// The few SVG elements hwnas's plots draw, written as text with escaped labels.
public struct SVGText: Sendable {
    private var body: [String] = []
    public let width: Double
    public let height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public mutating func text(_ text: String, x: Double, y: Double, size: Double, anchor: String = "start",
                              weight: String = "normal", color: String = "#222", rotate: Double? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(SVGText.number($0)) \(SVGText.number(x)) \(SVGText.number(y)))\"" } ?? ""
        body.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(color)\"\(transform)>\(Self.escaped(text))</text>")
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        let dashed = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body.append("<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"\(dashed)/>")
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil) {
        let outline = stroke.map { " stroke=\"\($0)\"" } ?? ""
        body.append("<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(fill)\"\(outline)/>")
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String) {
        body.append("<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" fill=\"\(fill)\" fill-opacity=\"0.85\"/>")
    }

    public mutating func polyline(_ points: [String], stroke: String, width: Double = 1.5) {
        body.append("<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"/>")
    }

    /// The document: a white background, a sans-serif font, then the elements in drawing order.
    public func finished() -> String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        ]
        lines += body
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }
}
