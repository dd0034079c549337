import Foundation
import Hardware

/// The readable account of a descriptor that `hwnas hardware` prints.
struct DescriptorSummary {
    var descriptor: MachineDescriptor

    var text: String {
        let d = descriptor
        var lines: [(String, String)] = []
        var cpu = "\(d.cpu.modelName) (\(d.cpu.vendorString) family \(d.cpu.family) model \(d.cpu.model) stepping \(d.cpu.stepping))"
        if d.cpu.virtualized { cpu += ", virtual machine" + (d.cpu.hypervisor.map { " (\($0))" } ?? "") }
        if let mhz = d.cpu.frequencyMHz { cpu += String(format: ", %.0f MHz", mhz) }
        if let governor = d.cpu.governor { cpu += ", governor \(governor)" }
        lines.append(("machine", d.id))
        lines.append(("cpu", cpu))
        if d.source != "this machine" {
            lines.append(("source", "\(d.source): topology only, no calibration, no counters"))
        }
        let t = d.topology
        var topology = "\(t.packages) package\(t.packages == 1 ? "" : "s"), \(t.cores) cores, \(t.pus) PUs, \(t.numaNodes) NUMA node\(t.numaNodes == 1 ? "" : "s")"
        if t.numaMemoryBytes > 0 { topology += " (\(Self.bytes(t.numaMemoryBytes)) in NUMA nodes)" }
        if let memory = d.memoryBytes { topology += ", \(Self.bytes(memory)) MemTotal" }
        lines.append(("topology", topology))
        lines.append(("caches", d.caches.map { cache in
            // L1d, L1i: the first letter of a split cache's kind; a unified cache has none.
            let kind = cache.kind == "data" || cache.kind == "instruction" ? String(cache.kind.prefix(1)) : ""
            return "L\(cache.level)\(kind) \(Self.bytes(cache.sizeBytes)) x\(cache.instances) (\(cache.sharedByPus) PU\(cache.sharedByPus == 1 ? "" : "s") each)"
        }.joined(separator: ", ")))
        if !d.cpu.isa.isEmpty { lines.append(("isa", d.cpu.isa.joined(separator: " "))) }
        lines.append(("build", d.build.isUnknown ? "unknown (described from another machine's XML; no hwnas binary ran there)"
                                                  : "\(d.build.cpu) (\(d.build.features.joined(separator: " ")))"))
        if let blas = d.blas {
            var text = "\(blas.config); core \(blas.coreName), \(blas.threads) thread\(blas.threads == 1 ? "" : "s")"
            if let forced = blas.coreTypeOverride { text += ", forced by OPENBLAS_CORETYPE=\(forced)" }
            lines.append(("blas", text))
        }
        if let papi = d.papi {
            let counting = papi.events.filter(\.counts).map(\.name)
            let failing = papi.events.filter { !$0.counts }
            lines.append(("papi", "\(papi.version); counting: \(counting.isEmpty ? "none" : counting.joined(separator: " "))"))
            if !failing.isEmpty {
                let reasons = Dictionary(grouping: failing, by: { $0.reason ?? "unknown" })
                for (reason, events) in reasons.sorted(by: { $0.key < $1.key }) {
                    lines.append(("", "not counting: \(events.map(\.name).joined(separator: " ")) (\(reason))"))
                }
            }
            if let note = papi.note { lines.append(("", note)) }
        }
        if let c = d.calibration {
            for m in [c.sgemm1Thread, c.sgemmAllThreads, c.triad1Thread, c.triadAllThreads] {
                let size = m.kernel == "sgemm" ? "\(m.size)^3" : "\(Self.bytes(m.size * 8)) x3"
                lines.append((m.kernel == "sgemm" && m.threads == 1 ? "roofline" : "",
                              String(format: "%@ %@, %d thread%@: %.1f %@ median (p10 %.1f, p90 %.1f, cv %.1f%%, n %d)",
                                     m.kernel, size, m.threads, m.threads == 1 ? "" : "s", m.median, m.unit,
                                     m.p10, m.p90, m.cv * 100, m.n)))
            }
        } else {
            lines.append(("roofline", "not measured"))
        }
        return lines.map { label, value in
            label.padding(toLength: 10, withPad: " ", startingAt: 0) + value
        }.joined(separator: "\n")
    }

    /// Sizes as people read them: exact binary units when exact, one decimal otherwise.
    static func bytes(_ count: Int) -> String {
        let units: [(String, Int)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (unit, size) in units where count >= size {
            if count % size == 0 { return "\(count / size) \(unit)" }
            return String(format: "%.1f %@", Double(count) / Double(size), unit)
        }
        return "\(count) B"
    }
}
