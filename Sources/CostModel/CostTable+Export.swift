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

    /// Once-for-All's latency-table YAML, one document per input resolution:
    /// `key: {mean: ms, std: ms}` with Once-for-All's layer keys (`Conv`, `expanded_conv-...`,
    /// `Conv_1`, `AvgPool2D`, `Conv_2`, `Logits`). Only for the MobileNetV3 space.
    public func onceForAllYAML(space: OFAMobileNetV3Space) throws -> [(resolution: Int, text: String)] {
        guard self.space == space.name else {
            throw HwnasError("ofa-yaml export is for \(space.name) tables; this one is for \(self.space)")
        }
        let lookup = self.lookup
        return (settings.resolutions ?? []).map { resolution in
            var lines = ["# Once-for-All style latency table: \(self.space) on \(device) at \(resolution) px, ms per call",
                         "# (hwnas \(hwnasVersion), \(createdAt); medians and standard deviations of the profile)"]
            for block in space.distinctBlocks(settings: SpaceSettings(resolutions: [resolution])) {
                guard let entry = lookup[block.key], let key = Self.onceForAllKey(block) else { continue }
                lines.append("\(key): {mean: \(Self.number(entry.medianMs)), std: \(Self.number(entry.stdMs))}")
            }
            return (resolution, lines.joined(separator: "\n") + "\n")
        }
    }

    static func number(_ value: Double) -> String {
        String(format: "%.6f", value)
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
