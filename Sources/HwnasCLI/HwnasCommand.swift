import ArgumentParser
import Hardware
import Support

/// The `hwnas` command: hardware-aware latency profiling for neural architecture search.
public struct HwnasCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hwnas",
        abstract: "Hardware-aware latency profiling for neural architecture search.",
        discussion: """
            hwnas describes a target CPU, measures the elastic blocks of a super-network on it, \
            turns the measurements into cost tables whose error is measured, and searches a \
            Pareto set of sub-networks per device.

            Start with `hwnas hardware`, which describes this machine into hardware/.

            Exit codes:
              0    success
              1    failure (bad input file, refused overwrite, measurement error); the message names the file or value
              64   usage error (unknown option, bad option value, missing argument)
              130  interrupted by Ctrl-C (finished work is kept; run the command again to resume)

            Shell completion: hwnas --generate-completion-script bash|zsh|fish; it completes \
            space names, the device folders of --profiles-dir (default profiles/) and files by type.
            """,
        version: "hwnas \(HwnasVersion.current) (built for \(BuildTarget.current.cpu): \(BuildTarget.current.features.joined(separator: " ")))",
        subcommands: [
            HardwareCommand.self, ProfileCommand.self, TablesCommand.self, PredictorCommand.self, SearchCommand.self,
            CompareCommand.self, EvaluateCommand.self, ExportCommand.self, SpacesCommand.self, DevicesCommand.self, TokenizeCommand.self, FinetuneCommand.self,
        ]
    )

    public init() {}
}
