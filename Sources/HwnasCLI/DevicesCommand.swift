import ArgumentParser
import Foundation
import Reports
import Support

/// `hwnas devices`: the machines and devices this checkout knows, and their cost tables.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the machines and devices found in the hardware and profiles folders.",
        discussion: """
            A machine is a descriptor in --hardware-dir (`hwnas hardware` writes one); a device \
            is a folder of --profiles-dir named <machine>-t<threads>[-<variant>], holding the \
            profiles and cost tables measured there. Tables measured on another machine are used \
            by copying its device folder (and its descriptor) in.

            Examples:
              hwnas devices
              hwnas devices --profiles-dir run/profiles --json
            """
    )

    @Option(name: .customLong("hardware-dir"), help: "Folder of machine descriptors.")
    var hardwareDir = "hardware"

    @Option(name: .customLong("profiles-dir"), help: "Folder of per-device profiles and tables.")
    var profilesDir = "profiles"

    @Flag(help: "Print the catalogue as JSON: {machines[], devices[{id, machine, spaces[{space, table, kernels, ...}]}], problems[]}.")
    var json = false

    func run() throws {
        let catalog = DeviceCatalog(hardwareDir: URL(fileURLWithPath: hardwareDir), profilesDir: URL(fileURLWithPath: profilesDir))
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(catalog))
            return
        }
        print("machines (\(hardwareDir)):")
        if catalog.machines.isEmpty { print("  none; `hwnas hardware` describes this one") }
        for m in catalog.machines {
            var line = "  \(m.id): \(m.modelName), \(m.cores) cores / \(m.pus) PUs"
            if let core = m.blasCore { line += ", OpenBLAS \(core)" }
            if let gflops = m.sgemmGflops1Thread { line += String(format: ", sgemm %.0f GFLOP/s on one core", gflops) }
            if m.source != "this machine" { line += " (\(m.source))" }
            print(line)
        }
        print("devices (\(profilesDir)):")
        if catalog.devices.isEmpty { print("  none; `hwnas profile` measures one") }
        for d in catalog.devices {
            print("  \(d.id)\(d.machineDescribed ? "" : " (machine \(d.machine) not described here)")")
            for s in d.spaces {
                var line = "    \(s.space.padding(toLength: 15, withPad: " ", startingAt: 0))"
                if s.table != nil {
                    line += "table"
                    if let mape = s.validatedMape, let n = s.validatedN {
                        line += String(format: ", validated on %d held-out sub-networks: MAPE %.2f%%", n, mape)
                    } else {
                        line += ", not validated"
                    }
                    var how: [String] = []
                    if let gemm = s.gemm { how.append("gemm \(gemm)") }
                    if let runtime = s.runtime { how.append(runtime) }
                    if let core = s.blasCore { how.append("OpenBLAS \(core)") }
                    if !how.isEmpty { line += " (\(how.joined(separator: ", ")))" }
                    line += "; kernels: \(s.kernels ?? "unknown")"
                } else if s.tableProblem != nil {
                    line += "table unreadable (see the warning below)"
                } else {
                    line += "profile only; `hwnas tables --profile \(s.profile ?? "")` builds its table"
                }
                print(line)
            }
        }
        for problem in catalog.problems {
            FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
        }
    }
}
