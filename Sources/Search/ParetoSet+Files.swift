import Foundation
import Support
import SuperNet

extension ParetoSet {
    /// Writes `<device>.pareto.json`, `.csv` and `.svg` into `folder` (atomically, each);
    /// returns their paths, JSON first.
    @discardableResult
    public func write(to folder: URL, space: any SearchSpace) throws -> [String] {
        let json = Self.url(folder: folder, device: device, extension: "json")
        let csv = Self.url(folder: folder, device: device, extension: "csv")
        let svg = Self.url(folder: folder, device: device, extension: "svg")
        try AtomicFile.write(JSONFormat.encode(self), to: json)
        try AtomicFile.write(dynastCSV(space: space), to: csv)
        try AtomicFile.write(plot(), to: svg)
        return [json.relativePath, csv.relativePath, svg.relativePath]
    }

    /// The front on two axes: latency (else the first objective) across, accuracy (else the
    /// next objective) up; with a third objective, its range is named in the subtitle.
    public func plot() -> String {
        let xName = objectives.contains("latency") ? "latency" : objectives[0]
        let yName = objectives.first { $0 == "accuracy" } ?? objectives.first { $0 != xName }!
        func scale(_ name: String) -> Double { name == "macs" || name == "params" ? 1e-6 : 1 }
        let points = front.compactMap { member -> (x: Double, y: Double)? in
            guard let x = member.values[xName], let y = member.values[yName] else { return nil }
            return (x * scale(xName), y * scale(yName))
        }
        var subtitle = "\(front.count) sub-networks; NSGA-II \(settings.population) x \(settings.generations), seed \(settings.seed)"
        subtitle += String(format: "; hypervolume %.4g (%@)", hypervolume, hypervolumeMethod)
        if !settings.constraints.isEmpty { subtitle += "; " + settings.constraints.joined(separator: ", ") }
        let rest = objectives.filter { $0 != xName && $0 != yName }
        if !rest.isEmpty { subtitle += "; also traded off: " + rest.joined(separator: ", ") }
        let label = { (name: String) in labels[objectives.firstIndex(of: name)!] }
        return ScatterPlot(
            title: "\(space): Pareto set on \(device)", subtitle: subtitle,
            xLabel: label(xName), yLabel: label(yName),
            series: [.init(name: "Pareto front", points: points, color: "#1b65a6", connect: rest.isEmpty)]
        ).svg()
    }
}
