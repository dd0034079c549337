import Foundation
import Hardware
import Profiler
import Runtime
import Support
import SuperNet

/// Measures sub-networks end to end, with the profiler's methodology and pinning, and turns
/// the measurements into a table's calibration and validation.
public struct TableValidator {
    public var space: any SearchSpace
    public var count: Int
    public var seed: UInt64
    public var budget: MeasurementBudget
    public var topology: Topology
    /// Resolutions the validation sub-networks may take (default: all the table was profiled at).
    public var resolutions: [Int]?
    /// Called with (sub-networks measured, total, seconds elapsed).
    public var progress: (Int, Int, Double) -> Void

    public init(space: any SearchSpace, count: Int, seed: UInt64 = 1, budget: MeasurementBudget = .standard,
                topology: Topology, resolutions: [Int]? = nil, progress: @escaping (Int, Int, Double) -> Void = { _, _, _ in }) {
        self.resolutions = resolutions
        self.space = space
        self.count = count
        self.seed = seed
        self.budget = budget
        self.topology = topology
        self.progress = progress
    }

    /// The validation sub-networks: half drawn uniformly, half spread evenly over the range of
    /// the table's plain sums (the uniform half crowds the middle of the range). Resolutions are
    /// limited to those the table was profiled at.
    public func sample(table: CostTable) throws -> [Subnet] {
        var generator = SeededGenerator(seed: seed)
        let lookup = table.lookup
        let resolutionGene = space.resolutionGene
        let resolutions = resolutionGene != nil ? (self.resolutions ?? table.settings.resolutions) : nil
        if let resolutions, let profiled = table.settings.resolutions, let missing = resolutions.first(where: { !profiled.contains($0) }) {
            throw HwnasError("validation resolution \(missing) was not profiled (the table has \(profiled.map(String.init).joined(separator: ", ")))")
        }
        func draw() -> Subnet {
            var subnet = space.sample(using: &generator)
            if let resolutions, let resolutionGene { subnet[resolutionGene] = [resolutions.randomElement(using: &generator)!] }
            return subnet
        }
        var chosen: [Subnet] = []
        var seen = Set<Subnet>()
        let uniform = count / 2
        var attempts = 0
        while chosen.count < uniform, attempts < 100 * count {
            attempts += 1
            let subnet = draw()
            if seen.insert(subnet).inserted { chosen.append(subnet) }
        }
        var candidates: [(Double, Subnet)] = []
        for _ in 0..<(20 * max(count - uniform, 1)) {
            let subnet = draw()
            if !seen.contains(subnet) { candidates.append((try table.sum(of: subnet, space: space, lookup: lookup), subnet)) }
        }
        candidates.sort { $0.0 < $1.0 }
        let spread = count - chosen.count
        if spread > 0, !candidates.isEmpty {
            for i in 0..<spread {
                let index = spread == 1 ? candidates.count / 2 : i * (candidates.count - 1) / (spread - 1)
                let subnet = candidates[index].1
                if seen.insert(subnet).inserted { chosen.append(subnet) }
            }
        }
        return chosen
    }

    /// Measures the sub-networks on the table's cores, fits the calibration on one half and
    /// reports every metric on the other. The journal makes the measurement resumable.
    public func validate(_ table: CostTable, journal url: URL, restart: Bool,
                         warn: (String) -> Void = CostTable.printWarning) throws -> CostTable {
        let subnets = try sample(table: table)
        guard subnets.count >= 4 else {
            throw HwnasError("validation needs at least 4 sub-networks; \(subnets.count) could be drawn")
        }
        let options = table.settings.executionOptions
        let settings = table.settings.spaceSettings
        let runtime = try Runtimes.named(table.settings.runtime)
        let current = runtime.describe(options: options)
        if let message = table.kernelVariantMismatch(current: current, tableFile: "the cost table of \(table.space) on \(table.device)") {
            warn(message)
        }
        let items = subnets.enumerated().map { index, subnet in
            ProfileWorkItem(subnet: subnet, space: space, settings: settings, runtime: runtime, options: options,
                            key: space.dynastString(subnet), seed: UInt64(index) &+ 11)
        }
        let fingerprint = ["validation", space.name, table.device, "\(count)", "\(seed)", budget.rawValue,
                           (resolutions ?? []).map(String.init).joined(separator: ","),
                           table.machine.id, table.machine.buildTarget, HwnasVersion.current].joined(separator: "|")
        let journal = try ProfileJournal(url: url, fingerprint: fingerprint,
                                         kernelVariants: KernelVariants.label(current.kernelVariants), restart: restart)
        // Whole sub-networks hold all their weights: measure a few at a time.
        let chunk = space.name == "ofa-mbv3-w1.0" ? 8 : 2
        let entries = try PinnedDevice.run(pus: table.settings.cores, topology: topology) {
            try ProfileRunner(budget: budget, events: [], reference: nil, chunkSize: chunk, progress: progress)
                .run(items, journal: journal)
        }
        let lookup = table.lookup
        let sums = try subnets.map { try table.sum(of: $0, space: space, lookup: lookup) }
        let measured = entries.map(\.stats.medianMs)

        // A seeded shuffle splits the sub-networks into a fitting half and a held-out half.
        var generator = SeededGenerator(seed: seed ^ 0x5911_7)
        let order = Array(subnets.indices).shuffled(using: &generator)
        let fit = Array(order.prefix(subnets.count / 2)), test = Array(order.dropFirst(subnets.count / 2))
        let calibration = try LinearCalibration.fit(sums: fit.map { sums[$0] }, measured: fit.map { measured[$0] })
        let heldOut = test.map { i in
            ValidationPoint(subnet: space.dynastString(subnets[i]), sumMs: sums[i], calibratedMs: calibration.apply(sums[i]),
                            measuredMs: measured[i])
        }
        var result = table
        result.calibration = calibration
        result.validation = TableValidation(
            n: heldOut.count, fitN: fit.count,
            raw: AccuracyMetrics(predicted: heldOut.map(\.sumMs), measured: heldOut.map(\.measuredMs)),
            calibrated: AccuracyMetrics(predicted: heldOut.map(\.calibratedMs), measured: heldOut.map(\.measuredMs)),
            sampling: "half uniform over the space, half spread evenly over the range of table sums"
                + (resolutions.map { " at \($0.map(String.init).joined(separator: ", ")) px" } ?? "")
                + "; calibration fitted on a random half, metrics on the other",
            seed: seed, heldOut: heldOut)
        journal.remove()
        return result
    }
}
