import ArgumentParser
import Foundation
import Support
import SuperNet

/// `hwnas spaces`: the search spaces hwnas knows, their genes and sizes.
struct SpacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spaces",
        abstract: "List the search spaces with their genes, choice sets and sizes.",
        discussion: """
            Examples:
              hwnas spaces
              hwnas spaces --json | jq '.[].name'
            """
    )

    @Flag(help: "Print the spaces as a JSON array.")
    var json = false

    struct SpaceInfo: Encodable {
        var name: String
        var summary: String
        var genes: [Gene]
        var genomeLength: Int
        var genomeCount: Double
        var distinctBlocks: Int
        var defaultSettings: SpaceSettings
        var metricColumn: String
        var example: String
    }

    func run() throws {
        let infos = SearchSpaces.all.map { space in
            SpaceInfo(name: space.name, summary: space.summary, genes: space.genes, genomeLength: space.genomeLength,
                      genomeCount: space.genomeCount,
                      distinctBlocks: space.distinctBlocks(settings: space.defaultSettings).count,
                      defaultSettings: space.defaultSettings, metricColumn: space.metricColumn,
                      example: space.example)
        }
        if json {
            FileHandle.standardOutput.write(try JSONFormat.encode(infos))
            return
        }
        for info in infos {
            print("\(info.name): \(info.summary)")
            let width = max(20, info.genes.map(\.name.count).max() ?? 0)
            for gene in info.genes {
                let choices = gene.choices.count > 8
                    ? "\(gene.choices.first!)..\(gene.choices.last!) (\(gene.choices.count) values)"
                    : gene.choices.map(String.init).joined(separator: ",")
                let slots = gene.length == 1 ? "" : " x\(gene.length)"
                let aliases = gene.aliases.isEmpty ? "" : " (also read as \(gene.aliases.joined(separator: ", ")))"
                print("  \(gene.name.padding(toLength: width, withPad: " ", startingAt: 0)) {\(choices)}\(slots)  \(gene.summary)\(aliases)")
            }
            var settings = ""
            if let sequence = info.defaultSettings.sequence { settings = "sequence \(sequence)" }
            if let resolutions = info.defaultSettings.resolutions {
                settings = resolutions.count == 1 ? "\(resolutions[0]) px" : "\(resolutions.count) resolutions"
            }
            print(String(format: "  %.3g genomes, %d distinct blocks at %@", info.genomeCount, info.distinctBlocks, settings))
            print("")
        }
    }
}
