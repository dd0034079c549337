import Foundation
import Testing

/// Package.swift declares every import, and no module imports one above it in the layering.
@Suite struct ModuleLayeringTests {
    /// The package root: this file is Tests/ArchitectureTests/ModuleLayeringTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every Swift file of the package's targets, with its path relative to the root.
    static func sources(under folders: [String]) throws -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        for folder in folders {
            let url = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker where file.pathExtension == "swift" {
                let relative = folder + "/" + file.path.dropFirst(url.path.count + 1)
                files.append((relative, try String(contentsOf: file, encoding: .utf8)))
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test func everyImportIsDeclaredAndLayered() throws {
        let manifest = PackageManifest(text: try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8))
        #expect(manifest["Support"] != nil && manifest["HwnasCLI"] != nil, "Package.swift was not read: \(manifest.targets.map(\.name))")
        let sources = try Self.sources(under: ["Sources", "Tests", "Benchmarks"])
        #expect(sources.count > 100)
        let problems = ModuleLayering.problems(manifest: manifest, sources: sources)
        #expect(problems.isEmpty, "\n\(problems.joined(separator: "\n"))")
    }

    @Test func everyShippedModuleHasAPlace() throws {
        let manifest = PackageManifest(text: try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8))
        let missing = manifest.targets.filter { $0.isShipped && ModuleLayering.layer(of: $0.name) == nil }.map(\.name)
        #expect(missing.isEmpty, "Package.swift has modules the layering does not place: \(missing)")
    }

    /// A script kept in a multi-line string is not Swift: its `import` lines are not imports.
    @Test func importsInsideMultiLineStringsAreText() {
        let source = "import Support\nlet script = #\"\"\"\nimport json\n  import os\n\"\"\"#\nimport Hardware\n"
        #expect(ModuleLayering.imports(in: source).map(\.module) == ["Support", "Hardware"])
    }

    /// The check itself: a manifest and sources with each kind of fault, each reported by name.
    @Test func reportsEachFaultNamingTheFile() {
        let manifest = PackageManifest(text: """
            let package = Package(name: "x", targets: [
                .target(name: "Support", swiftSettings: flags),
                .target(name: "SuperNet", dependencies: ["Support"]),
                .target(
                    name: "Optimization",
                    dependencies: ["Support", "SuperNet"]
                ),
                .target(name: "Search", dependencies: ["SuperNet", "Optimization", "Support"]),
                .target(name: "Hardware", dependencies: ["Support", .product(name: "ArgumentParser", package: "swift-argument-parser")], path: "Sources/Machine"),
                .testTarget(name: "SearchTests", dependencies: ["Search"]),
            ])
            """)
        #expect(manifest["Hardware"]?.path == "Sources/Machine")
        #expect(manifest["Hardware"]?.dependencies == ["Support", "ArgumentParser"])
        #expect(manifest["SearchTests"]?.path == "Tests/SearchTests")
        let problems = ModuleLayering.problems(manifest: manifest, sources: [
            ("Sources/Support/A.swift", "import Foundation\nimport Search\n"),
            ("Sources/SuperNet/B.swift", "import Support\n#if canImport(Glibc)\n    import Glibc\n#endif\n@testable import Hardware\n"),
            ("Sources/Search/C.swift", "import Optimization\nimport SuperNet\n"),
            ("Tests/SearchTests/D.swift", "import Testing\n@testable import Search\nimport Support\n"),
            ("Sources/Machine/E.swift", "import ArgumentParser\n"),
        ])
        let expected = [
            "Package.swift: Optimization depends on SuperNet: Optimization may import only Support",
            "Package.swift: Hardware depends on ArgumentParser: ArgumentParser is for HwnasCLI only",
            "Sources/Support/A.swift:2: imports Search, which Support does not declare in Package.swift",
            "Sources/Support/A.swift:2: Support imports Search: Search is above Support in the layering",
            "Sources/SuperNet/B.swift:5: imports Hardware, which SuperNet does not declare in Package.swift",
            "Sources/SuperNet/B.swift:5: SuperNet imports Hardware: Hardware is a sibling of SuperNet in the layering",
            "Tests/SearchTests/D.swift:3: imports Support, which SearchTests does not declare in Package.swift",
            "Sources/Machine/E.swift:1: Hardware imports ArgumentParser: ArgumentParser is for HwnasCLI only",
        ]
        #expect(problems.sorted() == expected.sorted(), "\n\(problems.joined(separator: "\n"))")
    }
}
