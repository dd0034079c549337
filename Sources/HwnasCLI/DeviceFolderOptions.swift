import ArgumentParser
import Foundation
import Reports

/// Where devices' tables, machines' descriptors and search results live: shared by `search`
/// and `compare`.
struct DeviceFolderOptions: ParsableArguments {
    @Option(name: .customLong("profiles-dir"), help: "Folder of per-device cost tables.")
    var profilesDir = "profiles"

    @Option(name: .customLong("hardware-dir"), help: "Folder of machine descriptors.")
    var hardwareDir = "hardware"

    @Option(name: .customLong("results-dir"), help: "Folder of Pareto sets and comparison reports.")
    var resultsDir = "results"

    /// The devices and machines the folders hold.
    func catalog() -> DeviceCatalog {
        DeviceCatalog(hardwareDir: URL(fileURLWithPath: hardwareDir), profilesDir: URL(fileURLWithPath: profilesDir))
    }

    /// `<results-dir>/<space>`.
    func results(space: String) -> URL {
        URL(fileURLWithPath: resultsDir).appendingPathComponent(space)
    }
}
