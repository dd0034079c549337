import Foundation
import Support
import SuperNet

/// DyNAS-T-style results CSVs of OFA sub-networks with a made-up accuracy that depends on the
/// active blocks only, written into a temporary folder for the tests.
struct SyntheticAccuracyCSV {
    static let header = "Sub-network,Date,Model Parameters,Latency (ms),MACs,Top-1 Acc (%)"
    let space = OFAMobileNetV3Space()

    /// A plausible accuracy: larger kernels and expansions of active blocks help, a little noise.
    func accuracy(of subnet: Subnet, noise: Double) -> Double {
        let active = space.activeSlots(of: subnet)
        var score = 72.0
        for slot in 0..<20 where active[slot] {
            score += 0.05 * Double(subnet["ks"][slot] - 3) + 0.08 * Double(subnet["e"][slot] - 3)
        }
        return (score + noise * 100).rounded() / 100 + 0.0
    }

    /// `count` random networks at 224 px, the first `repeats` of them measured twice.
    func rows(count: Int, repeats: Int = 0, seed: UInt64 = 1) -> [String] {
        var generator = SeededGenerator(seed: seed)
        var subnets: [Subnet] = (0..<count).map { _ in
            var s = space.sample(using: &generator)
            s.values["r"] = [224]
            return s
        }
        subnets += subnets.prefix(repeats)
        return subnets.map { s in
            let noise = Double(generator.nextSymmetricFloat()) * 0.02
            return "\"\(space.dynastString(s))\",2022-11-01 05:40:09,5000000,0,250000000,\(accuracy(of: s, noise: noise))"
        }
    }

    /// Writes a CSV and returns its URL.
    static func write(_ lines: [String], named name: String, in folder: URL, header: String = header) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try ([header] + lines).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
