import Foundation
import Support
import SuperNet

extension CostTable {
    /// CSV: one row per entry.
    public func csv() -> String {
        var text = "key,medianMs,p90Ms,meanMs,stdMs,cv,n,unstable\n"
        for e in entries {
            text += "\(e.key),\(e.medianMs),\(e.p90Ms),\(e.meanMs),\(e.stdMs),\(e.cv),\(e.n),\(e.unstable)\n"
        }
        return text
    }

    /// Once-for-All's latency lookup tables, one YAML text per profiled resolution, for
    /// `MBv3LatencyTable`: `key: {mean: ms, std: ms}` with Once-for-All's layer keys (`Conv`,
    /// `expanded_conv-...`, `Conv_1`, `AvgPool2D`, `Conv_2`, `Logits`). Once-for-All sums the
    /// `mean` of a sub-network's keys, nothing else.
    ///
    /// Raw entries are the medians: Once-for-All's sum is hwnas's raw sum. Calibrated entries fold
    /// the table's calibration in: every entry times its slope (a, or its kind's slope with
    /// per-kind calibration), and b / 5 added to each of the five entries every sub-network runs
    /// exactly once (`OFAMobileNetV3Space.onceOnlyBlocks`), so the plain sum is hwnas's calibrated
    /// prediction. The header comment gives the calibration and the table's measured error.
    public func onceForAllYAML(space: OFAMobileNetV3Space, calibrated: Bool, source: String) throws -> [(resolution: Int, text: String)] {
        guard self.space == space.name else {
            throw HwnasError("ofa-yaml export is for \(space.name) tables; this one is for \(self.space)")
        }
        if calibrated && calibration == nil {
            throw HwnasError("\(source) was not validated (built with --validate 0): it has no calibration to fold into ofa-yaml-calibrated; export ofa-yaml, or validate the table")
        }
        let lookup = self.lookup
        return try (settings.resolutions ?? []).map { resolution in
            let once = Set(space.onceOnlyBlocks(resolution: resolution).map(\.key))
            let share = calibrated ? intercept / Double(once.count) : 0
            var lines = onceForAllHeader(resolution: resolution, calibrated: calibrated, onceCount: once.count, source: source)
            var folded = 0
            for block in space.distinctBlocks(settings: SpaceSettings(resolutions: [resolution])) {
                guard let key = Self.onceForAllKey(block) else { continue }
                guard let entry = lookup[block.key] else {
                    throw HwnasError("\(source) has no entry '\(block.key)' at \(resolution) px: a Once-for-All table needs every block; profile it again")
                }
                let added = once.contains(block.key) ? share : 0
                let a = calibrated ? slope(for: block) : 1
                if once.contains(block.key) { folded += 1 }
                lines.append("\(key): {mean: \(Self.number(a * entry.medianMs + added)), std: \(Self.number(a * entry.stdMs))}")
            }
            guard folded == once.count else {
                throw HwnasError("\(space.name) at \(resolution) px: \(folded) of the \(once.count) blocks every sub-network runs once are in the table")
            }
            return (resolution, lines.joined(separator: "\n") + "\n")
        }
    }

    /// The header comment of a Once-for-All table: what it is, the calibration, the error.
    func onceForAllHeader(resolution: Int, calibrated: Bool, onceCount: Int, source: String) -> [String] {
        var lines = [
            "# Once-for-All latency lookup table (MBv3LatencyTable): \(space) on \(device) at \(resolution) px, ms per call",
            "# from \(source) (table of \(createdAt), hwnas \(hwnasVersion)); machine \(machine.id)",
        ]
        if let k = kindCalibration, let v = validation {
            lines.append(String(format: "# calibration: measured = b + sum over kinds of (a + d_kind) * sum_kind, a = %.9g, b = %.9g ms, %d kinds", k.a, k.b, k.kindOffsets.count)
                + " (\(k.rule); the slopes are in the table's kindCalibration), fitted on \(v.fitN) sub-networks measured end to end")
            lines.append(String(format: "# raw-sum error on %d held-out sub-networks: MAPE %.2f%%, max %.2f%%; calibrated: MAPE %.2f%%, max %.2f%%",
                                v.n, v.raw.mape, v.raw.maxApe, v.calibrated.mape, v.calibrated.maxApe))
        } else if let c = calibration, let v = validation {
            lines.append(String(format: "# calibration: measured = a * sum + b, a = %.9g, b = %.9g ms (fitted on %d sub-networks measured end to end)", c.a, c.b, v.fitN))
            lines.append(String(format: "# raw-sum error on %d held-out sub-networks: MAPE %.2f%%, max %.2f%%; calibrated: MAPE %.2f%%, max %.2f%%",
                                v.n, v.raw.mape, v.raw.maxApe, v.calibrated.mape, v.calibrated.maxApe))
        } else {
            lines.append("# calibration: none, a = 1, b = 0: the table was not validated (built with --validate 0), its error is unknown")
        }
        if calibrated {
            lines.append("# entries: calibrated. Each median times \(kindCalibration != nil ? "its kind's slope a + d_kind" : "a"), and b/\(onceCount) added to each of Conv, Conv_1, AvgPool2D, Conv_2 and Logits")
            lines.append("# (every sub-network runs each once), so the plain sum is hwnas's calibrated prediction;")
            lines.append("# one entry alone is not that block's latency")
        } else {
            lines.append("# entries: raw medians of the profile; the plain sum is hwnas's raw sum, before the calibration above")
        }
        return lines
    }

    static func number(_ value: Double) -> String {
        String(format: "%.9f", value)
    }

    static func shape(_ shape: TensorShape) -> String {
        switch shape {
        case .image(let h, let w, let c): "\(h)x\(w)x\(c)"
        case .sequence(let n, let d): "\(n)x\(d)"
        case .vector(let n): "1x1x\(n)"
        }
    }

    /// Once-for-All's key of a block (`MBv3LatencyTable.query`).
    static func onceForAllKey(_ block: Block) -> String? {
        switch block {
        case .convolution(let b):
            let name = switch b.role {
            case .stem: "Conv"
            case .finalExpand: "Conv_1"
            case .featureMix: "Conv_2"
            }
            return "\(name)-input:\(shape(b.input))-output:\(shape(b.output))"
        case .mbconv(let b):
            return "expanded_conv-input:\(shape(b.input))-output:\(shape(b.output))-expand:\(b.mid)-kernel:\(b.kernel)"
                + "-stride:\(b.stride)-idskip:\(b.residual ? 1 : 0)-se:\(b.squeezeExcite ? 1 : 0)-hs:\(b.activation == .hardSwish ? 1 : 0)"
        case .pool(let b):
            return "AvgPool2D-input:\(shape(b.input))-output:1x1x\(b.channels)"
        case .classifier(let b):
            return "Logits-input:1x1x\(b.inputs)-output:\(b.classes)"
        default:
            return nil
        }
    }
}
