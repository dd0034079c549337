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
    /// Times each sub-network is built and measured (fresh weights and buffers each time, in a
    /// different chunk at a different time); its measurement is the mean of the fastest half
    /// (`repeatedMeasurement`). Where a block's buffers land in memory and how fast the host
    /// runs for a minute each move a whole network by a few percent, enough to swap the ranks of
    /// networks a few percent apart, and a neighbour's burst can slow a chunk by half.
    public var repeats: Int
    /// `one slope` only, or `per kind` slopes when they beat one slope on the fitting half.
    public var calibrationModel: String
    /// Called with (sub-networks measured, total, seconds elapsed).
    public var progress: (Int, Int, Double) -> Void

    public init(space: any SearchSpace, count: Int, seed: UInt64 = 1, budget: MeasurementBudget = .standard,
                topology: Topology, resolutions: [Int]? = nil, repeats: Int = 1, calibrationModel: String = CalibrationSelection.perKind,
                progress: @escaping (Int, Int, Double) -> Void = { _, _, _ in }) {
        self.resolutions = resolutions
        self.repeats = max(repeats, 1)
        self.calibrationModel = calibrationModel
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
        guard [CalibrationSelection.oneSlope, CalibrationSelection.perKind].contains(calibrationModel) else {
            throw HwnasError("calibration '\(calibrationModel)' is not one of '\(CalibrationSelection.oneSlope)', '\(CalibrationSelection.perKind)'")
        }
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
        // Repeat r of every sub-network comes after repeat r - 1 of all of them, each repeat in
        // its own seeded order, so a sub-network's repeats fall in different chunks and minutes.
        var items: [ProfileWorkItem] = []
        var generator = SeededGenerator(seed: seed ^ 0x7E9E_A7)
        for r in 0..<repeats {
            let order = r == 0 ? Array(subnets.indices) : Array(subnets.indices).shuffled(using: &generator)
            for index in order {
                items.append(ProfileWorkItem(subnet: subnets[index], space: space, settings: settings, runtime: runtime, options: options,
                                             key: repeatKey(space.dynastString(subnets[index]), r),
                                             seed: UInt64(index) &+ 11 &+ UInt64(r) &* 1_000_003))
            }
        }
        var fingerprint = ["validation", space.name, table.device, "\(count)", "\(seed)", budget.rawValue,
                           (resolutions ?? []).map(String.init).joined(separator: ","),
                           table.machine.id, table.machine.buildTarget, HwnasVersion.current]
        if repeats > 1 { fingerprint.append("repeats \(repeats)") }
        let journal = try ProfileJournal(url: url, fingerprint: fingerprint.joined(separator: "|"),
                                         kernelVariants: KernelVariants.label(current.kernelVariants), restart: restart)
        // Whole sub-networks hold all their weights: measure a few at a time.
        let chunk = space.name == "ofa-mbv3-w1.0" ? 8 : 2
        let entries = try PinnedDevice.run(pus: table.settings.cores, topology: topology) {
            try ProfileRunner(budget: budget, events: [], reference: nil, chunkSize: chunk, progress: progress)
                .run(items, journal: journal)
        }
        var byKey: [String: Double] = [:]
        for (item, entry) in zip(items, entries) { byKey[item.key] = entry.stats.medianMs }
        let repeatsMs = subnets.map { subnet in
            (0..<repeats).map { byKey[repeatKey(space.dynastString(subnet), $0)]! }
        }
        let result = try Self.calibrate(table, subnets: subnets, space: space, measured: repeatsMs.map(Self.repeatedMeasurement),
                                        repeatsMs: repeats > 1 ? repeatsMs : nil, seed: seed, calibrationModel: calibrationModel,
                                        sampling: "half uniform over the space, half spread evenly over the range of table sums"
                                            + (resolutions.map { " at \($0.map(String.init).joined(separator: ", ")) px" } ?? "")
                                            + (repeats > 1 ? "; each measured \(repeats) times (fresh build, other chunk), the mean of the fastest half kept" : "")
                                            + "; calibration fitted on a random half, metrics on the other")
        journal.remove()
        return result
    }

    /// One sub-network's measurement from its repeats: the mean of the fastest half (the
    /// fastest ceil(n/2)). Interference on a shared host only ever slows a run down, so the slow
    /// half is where the contended runs are; averaging the fast half keeps most of a mean's
    /// precision against the layout and minute-to-minute noise that moves runs both ways.
    public static func repeatedMeasurement(_ repeats: [Double]) -> Double {
        precondition(!repeats.isEmpty, "a measurement needs at least one repeat")
        let fastest = repeats.sorted().prefix((repeats.count + 1) / 2)
        return fastest.reduce(0, +) / Double(fastest.count)
    }

    func repeatKey(_ subnet: String, _ r: Int) -> String {
        r == 0 ? subnet : "\(subnet)#\(r + 1)"
    }

    /// Splits the measured sub-networks into a fitting and a held-out half (seeded shuffle), fits
    /// the one-slope calibration and, with `per kind`, chooses and fits per-kind slopes on the
    /// fitting half alone, and computes every figure on the held-out half. Measures nothing.
    public static func calibrate(_ table: CostTable, subnets: [Subnet], space: any SearchSpace, measured: [Double],
                                 repeatsMs: [[Double]]? = nil, seed: UInt64, calibrationModel: String = CalibrationSelection.perKind,
                                 sampling: String) throws -> CostTable {
        precondition(subnets.count == measured.count)
        let lookup = table.lookup
        let sums = try subnets.map { try table.sum(of: $0, space: space, lookup: lookup) }
        let kindSums = try subnets.map { try table.kindSums(of: $0, space: space, lookup: lookup) }

        // A seeded shuffle splits the sub-networks into a fitting half and a held-out half.
        var generator = SeededGenerator(seed: seed ^ 0x5911_7)
        let order = Array(subnets.indices).shuffled(using: &generator)
        let fit = Array(order.prefix(subnets.count / 2)), test = Array(order.dropFirst(subnets.count / 2))
        let oneSlope = try LinearCalibration.fit(sums: fit.map { sums[$0] }, measured: fit.map { measured[$0] })
        var kinds: KindCalibration?
        var selection: CalibrationSelection?
        if calibrationModel == CalibrationSelection.perKind {
            let chosen = CalibrationSelection.select(sums: fit.map { sums[$0] }, kindSums: fit.map { kindSums[$0] },
                                                     measured: fit.map { measured[$0] }, seed: seed ^ 0xCA11_B)
            selection = chosen
            if let penalty = chosen.chosenPenalty {
                let fitted = try KindCalibration.fit(kindSums: fit.map { kindSums[$0] }, measured: fit.map { measured[$0] }, penalty: penalty)
                if fitted.isPlausible { kinds = fitted }
            }
        }
        func point(_ i: Int) -> ValidationPoint {
            let calibrated = kinds?.apply(kindSums: kindSums[i]) ?? oneSlope.apply(sums[i])
            return ValidationPoint(subnet: space.dynastString(subnets[i]), sumMs: sums[i], calibratedMs: calibrated, measuredMs: measured[i],
                                   oneSlopeMs: kinds != nil ? oneSlope.apply(sums[i]) : nil,
                                   kindSumsMs: selection != nil ? kindSums[i] : nil, repeatsMs: repeatsMs?[i])
        }
        let heldOut = test.map(point)
        var result = table
        result.calibration = oneSlope
        result.kindCalibration = kinds
        result.validation = TableValidation(
            n: heldOut.count, fitN: fit.count,
            raw: AccuracyMetrics(predicted: heldOut.map(\.sumMs), measured: heldOut.map(\.measuredMs)),
            calibrated: AccuracyMetrics(predicted: heldOut.map(\.calibratedMs), measured: heldOut.map(\.measuredMs)),
            sampling: sampling, seed: seed, heldOut: heldOut,
            calibrationModel: kinds != nil ? CalibrationSelection.perKind : CalibrationSelection.oneSlope,
            oneSlope: kinds != nil ? AccuracyMetrics(predicted: heldOut.map { $0.oneSlopeMs! }, measured: heldOut.map(\.measuredMs)) : nil,
            selection: selection, repeats: repeatsMs.map { $0.first?.count ?? 1 }, fitted: fit.map(point))
        return result
    }
}
