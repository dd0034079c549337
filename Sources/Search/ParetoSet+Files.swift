import Foundation
import Support
import SuperNet

extension ParetoSet {
    /// Writes `<device>.pareto.csv` and `.svg`, then `.json` recording their SHA-256, into
    /// `folder`, each atomically; returns their paths, JSON first. Interrupted at any point, the
    /// folder holds the old JSON (whose checksums then name any new CSV or SVG as not its own)
    /// or the new one with both its files.
    @discardableResult
    public func write(to folder: URL, space: any SearchSpace) throws -> [String] {
        let json = Self.url(folder: folder, device: device, extension: "json")
        let csv = Self.url(folder: folder, device: device, extension: "csv")
        let svg = Self.url(folder: folder, device: device, extension: "svg")
        let csvData = Data(dynastCSV(space: space).utf8)
        let svgData = Data(plot().utf8)
        var recorded = self
        recorded.csvSha256 = SHA256.hex(csvData)
        recorded.svgSha256 = SHA256.hex(svgData)
        try AtomicFile.write(csvData, to: csv)
        try AtomicFile.write(svgData, to: svg)
        try AtomicFile.write(JSONFormat.encode(recorded), to: json)
        return [json.relativePath, csv.relativePath, svg.relativePath]
    }

    /// The files of a device's set in `folder` that exist (JSON, CSV, SVG, in that order).
    public static func existingFiles(folder: URL, device: String) -> [URL] {
        ["json", "csv", "svg"].map { url(folder: folder, device: device, extension: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// A device's saved set, checked: nil when none of its files is there; an error naming the
    /// file when the JSON is missing, truncated, of another schema, space or device, or when the
    /// CSV or SVG is missing or not the one the JSON was written with (a mixed set).
    public static func readSaved(folder: URL, device: String, space: String) throws -> ParetoSet? {
        let present = existingFiles(folder: folder, device: device)
        guard let first = present.first else { return nil }
        let json = url(folder: folder, device: device, extension: "json")
        guard first == json else {
            throw HwnasError("\(first.relativePath) has no \(json.lastPathComponent) beside it: the Pareto set of \(device) is incomplete")
        }
        let set = try read(from: json)
        guard set.space == space, set.device == device else {
            throw HwnasError("\(json.relativePath) is the Pareto set of \(set.device) on \(set.space), not of \(device) on \(space)")
        }
        for (ext, recorded) in [("csv", set.csvSha256), ("svg", set.svgSha256)] {
            // Sets written before checksums were recorded cannot be checked.
            guard let recorded else { continue }
            let file = url(folder: folder, device: device, extension: ext)
            guard let actual = SHA256.hex(ofFile: file) else {
                throw HwnasError("\(file.relativePath) is missing or unreadable: the Pareto set \(json.relativePath) is incomplete")
            }
            guard actual == recorded else {
                throw HwnasError("\(file.relativePath) is not the file \(json.relativePath) was written with (its sha256 differs from the one recorded): the Pareto set of \(device) is mixed from two writes")
            }
        }
        return set
    }

    /// The front on two axes: latency (else the first objective) across, accuracy (else the
    /// next objective) up; with a third objective, its range is named in the subtitle.
    public func plot() -> String {
        let (x, y) = axes
        let points = front.compactMap { member -> (x: Double, y: Double)? in
            guard let xValue = member.values[x.kind], let yValue = member.values[y.kind] else { return nil }
            return (x.kind.plotted(xValue), y.kind.plotted(yValue))
        }
        var subtitle = "\(front.count) sub-networks; NSGA-II \(settings.population) x \(settings.generations), seed \(settings.seed)"
        subtitle += String(format: "; hypervolume %.4g (%@)", hypervolume, hypervolumeMethod)
        if !settings.constraints.isEmpty { subtitle += "; " + settings.constraints.joined(separator: ", ") }
        let rest = objectives.filter { $0 != x && $0 != y }
        if !rest.isEmpty { subtitle += "; also traded off: " + rest.map(\.kind.rawValue).joined(separator: ", ") }
        let label = { (spec: ObjectiveSpec) in labels[objectives.firstIndex(of: spec)!] }
        return ScatterPlot(
            title: "\(space): Pareto set on \(device)", subtitle: subtitle,
            xLabel: label(x), yLabel: label(y),
            series: [.init(name: "Pareto front", points: points, color: "#1b65a6", connect: rest.isEmpty)]
        ).svg()
    }
}
