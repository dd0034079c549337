import Foundation
import Reports
import Search
import Support
import SuperNet

/// `hwnas search --space`: one Pareto set per device, from the same settings, written to the
/// results folder.
public struct SpaceSearchRun {
    public var request: SearchRequest
    public var devices: [String]
    /// Where the devices' tables are.
    public var catalog: DeviceCatalog
    /// `<results-dir>/<space>`.
    public var folder: URL
    /// Replace sets already in the results folder.
    public var force = false

    public init(request: SearchRequest, devices: [String], catalog: DeviceCatalog, folder: URL, force: Bool = false) {
        self.request = request
        self.devices = devices
        self.catalog = catalog
        self.folder = folder
        self.force = force
    }

    /// Searches every device in turn; `searched` hears each set with the paths it was written
    /// to as soon as it is written. Returns the sets in the order of `devices`.
    public func run(reporter: Reporter, searched: (ParetoSet, [String]) -> Void = { _, _ in }) throws -> [ParetoSet] {
        let space = request.space
        guard !devices.isEmpty else {
            throw HwnasError("give at least one --device (see `hwnas devices`)")
        }
        let plan = try SearchPlan(request, reporter: reporter)
        // Every device's table is checked before the first search runs.
        let searches = try devices.map { try plan.search(device: $0, catalog: catalog, warn: reporter.warn) }
        try AtomicFile.checkWritable(folder: folder)
        try RunLocks.resultsFolder(folder)
        if !force {
            for search in searches {
                if let existing = ParetoSet.existingFiles(folder: folder, device: search.device).first {
                    throw HwnasError("\(existing.relativePath) exists: the Pareto set of \(search.device) is already searched; pass --force to search it again and replace it")
                }
            }
        }
        var sets: [ParetoSet] = []
        for search in searches {
            let set = try search.run { p in
                reporter.progress("searching \(space.name) on \(search.device): generation \(p.generation)/\(p.generations), \(p.frontSize) on the front")
            }
            reporter.progressDone()
            let paths = try set.write(to: folder, space: space)
            sets.append(set)
            searched(set, paths)
        }
        return sets
    }
}
