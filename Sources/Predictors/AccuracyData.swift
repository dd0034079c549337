import Foundation
import Support
import SuperNet

/// Measured sub-networks to train a predictor on: DyNAS-T results CSVs of one space, with the
/// space's metric column (`Top-1 Acc (%)` for OFA and ViT, `SST-2 Acc` for BERT).
public struct AccuracyData: Sendable {
    /// One measured sub-network.
    public struct Row: Sendable {
        /// The file as given, and the 1-based line in it.
        public var file: String
        public var line: Int
        public var subnet: Subnet
        /// The measured metric.
        public var accuracy: Double
        /// The one-hot features (`OneHotEncoding.hotColumns`).
        public var columns: [Int32]
        /// The network's identity: its genome with inactive slots ignored.
        public var network: String
    }

    public let space: any SearchSpace
    public let encoding: OneHotEncoding
    /// The files, as given.
    public let files: [String]
    public let rows: [Row]
    /// Rows left out because their metric is 0 (DyNAS-T writes 0 for what it did not measure).
    public let unmeasured: Int

    /// Reads and checks the files. Errors name the file (and line, for a malformed row): a row
    /// that does not parse, a file without the metric column, a file whose metric is 0 in every
    /// row (nothing measured), a metric that is not a finite number.
    public init(space: any SearchSpace, files urls: [URL]) throws {
        guard !urls.isEmpty else { throw HwnasError("no accuracy data given") }
        self.space = space
        encoding = OneHotEncoding(space: space)
        files = urls.map(\.relativePath)
        let metric = space.metricColumn
        var rows: [Row] = []
        var unmeasured = 0
        for (url, name) in zip(urls, files) {
            let file = try SubnetFile(url: url, space: space)
            guard let first = file.rows.first else {
                throw HwnasError("\(name) holds no sub-networks")
            }
            guard first.recorded[metric] != nil else {
                throw HwnasError("\(name) has no column '\(metric)': a predictor learns from the measured \(metric) of a DyNAS-T results CSV of \(space.name)")
            }
            var measured = 0
            for row in file.rows {
                let value = row.recorded[metric]!
                guard value.isFinite else {
                    throw HwnasError("\(name): line \(row.line): column '\(metric)' is not a finite number")
                }
                guard Self.accuracyRange.contains(value) else {
                    throw HwnasError("\(name): line \(row.line): column '\(metric)' is \(value): an accuracy is a percentage from 0 to 100 (DyNAS-T's CSVs write 75.448 for 75.448%), or a fraction from 0 to 1")
                }
                if value == 0 {
                    unmeasured += 1
                    continue
                }
                measured += 1
                rows.append(Row(file: name, line: row.line, subnet: row.subnet, accuracy: value,
                                columns: encoding.hotColumns(of: row.subnet, in: space),
                                network: space.canonicalGenome(of: row.subnet).map(String.init).joined(separator: ",")))
            }
            guard measured > 0 else {
                throw HwnasError("\(name): column '\(metric)' is 0 in every row: this file has no measured accuracy")
            }
        }
        self.rows = rows
        self.unmeasured = unmeasured
    }

    /// The values an accuracy may take: a percentage (DyNAS-T's `Top-1 Acc (%)` holds 75.448 for
    /// 75.448%), which also admits data written as fractions of 1.
    public static let accuracyRange: ClosedRange<Double> = 0...100

    /// Distinct networks among the rows.
    public var networks: Int { Set(rows.map(\.network)).count }

    /// A hash of what a predictor learns from: the space, the metric, and every (sub-network,
    /// value) pair, independent of row and file order and of file names. A saved predictor with
    /// the same hash was fitted on the same data and can be reused.
    public var hash: String {
        var lines = rows.map { "\(space.dynastString($0.subnet))\t\($0.accuracy)" }
        lines.sort()
        var h = FNV1a()
        h.add("\(space.name)\n\(space.metricColumn)\n")
        for line in lines { h.add(line + "\n") }
        return "fnv1a64:" + String(format: "%016llx", h.value)
    }

    /// The slots whose value is the same in every row where they are active. Slots never
    /// active in the data are left out (nothing was learnt about them either way).
    public var constantSlots: [ConstantSlot] {
        var result: [ConstantSlot] = []
        let actives = rows.map { space.activeSlots(of: $0.subnet) }
        var position = 0
        for gene in space.genes {
            for slot in 0..<gene.length {
                var seen: Int?
                var constant = true
                for (row, active) in zip(rows, actives) where active[position] {
                    let value = row.subnet[gene.name][slot]
                    if let seen, seen != value { constant = false; break }
                    seen = value
                }
                if constant, let seen { result.append(ConstantSlot(gene: gene.name, slot: slot, value: seen)) }
                position += 1
            }
        }
        return result
    }
}
