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
            """,
        version: "hwnas \(HwnasVersion.current) (built for \(BuildTarget.current.cpu): \(BuildTarget.current.features.joined(separator: " ")))",
        subcommands: [HardwareCommand.self, ProfileCommand.self, TablesCommand.self, PredictorCommand.self, SpacesCommand.self, EvaluateCommand.self]
    )

    public init() {}
}
