import Foundation
import Reports
import Search
import Support
import SuperNet

/// `hwnas search --space`: one Pareto set per device, from the same settings.
struct SpaceSearchRun {
    var space: String
    var devices: [String]
    var options: SpaceSearchOptions
    var common: SearchCommand.Options
    var folders: DeviceFolderOptions
    var quiet: Bool
    /// Replace sets already in the results folder.
    var force = false
    var json: Bool { common.json }

    func run() throws {
        let space = try SearchSpaces.named(space)
        guard !devices.isEmpty else {
            throw HwnasError("give at least one --device (see `hwnas devices`)")
        }
        let catalog = folders.catalog()
        let specs = try options.objectiveSpecs(space: space)
        let say: (String) -> Void = { if !quiet && !json { print($0) } }
        let warn: (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }
        let plan = try options.plan(space: space, specs: specs, common: common, warn: warn, say: say)
        // Every device's table is checked before the first search runs.
        let searches = try devices.map { try plan.search(device: $0, catalog: catalog, warn: warn) }
        let folder = folders.results(space: space.name)
        try AtomicFile.checkWritable(folder: folder)
        try RunLocks.resultsFolder(folder)
        if !force {
            for search in searches {
                if let existing = ParetoSet.existingFiles(folder: folder, device: search.device).first {
                    throw HwnasError("\(existing.relativePath) exists: the Pareto set of \(search.device) is already searched; pass --force to search it again and replace it")
                }
            }
        }
        let progress = ProgressLine(enabled: !quiet && !json)
        var sets: [ParetoSet] = []
        for search in searches {
            let set = try search.run { p in
                progress.update("searching \(space.name) on \(search.device): generation \(p.generation)/\(p.generations), \(p.frontSize) on the front")
            }
            progress.finish()
            let paths = try set.write(to: folder, space: space)
            sets.append(set)
            if !quiet && !json {
                var line = "\(search.device): \(set.front.count) sub-networks on the front"
                line += String(format: ", hypervolume %.6g%@", set.hypervolume, set.hypervolumeMethod == "exact" ? "" : String(format: " +- %.2g (Monte Carlo)", set.hypervolumeStandardError ?? 0))
                line += " (reference " + zip(set.objectives, set.reference).map { "\($0)=\(String(format: "%.4g", $1))" }.joined(separator: ", ") + ")"
                line += String(format: ", %d evaluations in %.2f s", set.settings.evaluations, set.elapsedSeconds)
                print(line)
                print("  wrote \(paths.joined(separator: ", "))")
            }
        }
        if json { FileHandle.standardOutput.write(try JSONFormat.encode(sets)) }
    }
}
