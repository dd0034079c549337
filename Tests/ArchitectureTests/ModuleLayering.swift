import Foundation

/// The module map of Sources/ as data: which layer each module sits in, and what its imports
/// may be. A module imports only modules of lower layers (siblings in one layer do not import
/// each other); a few modules are held to a narrower list than "anything below". Modules that
/// do not exist yet have their place already, so the check keeps working as they land.
struct ModuleLayering {
    /// Lowest first.
    static let layers: [[String]] = [
        ["CHwloc", "CPapi", "CBlas", "CPlatform"],
        ["Support", "OnnxSchema"],
        ["Counters", "Kernels", "Datasets"],
        ["Hardware", "SuperNet"],
        ["Onnx"],
        ["Runtime", "Training"],
        ["Profiler"],
        ["CostModel"],
        ["Optimization", "Predictors"],
        ["Search"],
        ["Reports"],
        ["Workflows"],
        ["HwnasCLI"],
        ["hwnas", "kernel-bench", "block-bench"],
    ]

    /// Modules whose place in the map allows less than every lower layer.
    static let narrowed: [String: Set<String>] = [
        // Generic optimisation knows nothing of networks or devices.
        "Optimization": ["Support"],
        // Predictors encode sub-networks and solve with LAPACK; they know no cost table.
        "Predictors": ["SuperNet", "Support", "CBlas"],
    ]

    /// Products of other packages and the modules allowed to use them: no module but the CLI
    /// knows about the command line.
    static let products: [String: Set<String>] = [
        "ArgumentParser": ["HwnasCLI"],
        // The ONNX schema's generated types and the models built from them.
        "SwiftProtobuf": ["OnnxSchema", "Onnx"],
    ]

    /// Modules of the toolchain, importable anywhere.
    static let system: Set<String> = [
        "Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Glibc", "Musl", "Darwin",
        "Swift", "_Concurrency", "Synchronization", "Testing", "XCTest",
    ]

    static func layer(of module: String) -> Int? {
        layers.firstIndex { $0.contains(module) }
    }

    /// Why `importer` may not import `imported` (nil: it may). Declaration is checked apart.
    static func violation(_ importer: String, imports imported: String) -> String? {
        if system.contains(imported) || imported == importer { return nil }
        if let users = products[imported] {
            return users.contains(importer) ? nil : "\(imported) is for \(users.sorted().joined(separator: ", ")) only"
        }
        guard let low = layer(of: importer) else { return "\(importer) has no place in the module layering; add it to ModuleLayering.layers" }
        guard let high = layer(of: imported) else { return "\(imported) has no place in the module layering; add it to ModuleLayering.layers" }
        if let allowed = narrowed[importer], !allowed.contains(imported) {
            return "\(importer) may import only \(allowed.sorted().joined(separator: ", "))"
        }
        if high >= low {
            return high == low ? "\(imported) is a sibling of \(importer) in the layering"
                : "\(imported) is above \(importer) in the layering"
        }
        return nil
    }

    /// One `import` statement of a source file.
    struct Import {
        var module: String
        var line: Int
    }

    /// The modules a Swift file imports, wherever the statement stands (`#if` blocks included).
    static func imports(in source: String) -> [Import] {
        let pattern = #"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#
        let regex = try! NSRegularExpression(pattern: pattern)
        var found: [Import] = []
        // Lines inside a multi-line string literal (a script kept in a Swift file) are text.
        var insideLiteral = false
        for (index, line) in source.components(separatedBy: "\n").enumerated() {
            let delimiters = line.components(separatedBy: "\"\"\"").count - 1
            defer { if delimiters % 2 == 1 { insideLiteral.toggle() } }
            if insideLiteral { continue }
            let range = NSRange(line.startIndex..., in: line)
            guard let match = regex.firstMatch(in: line, range: range),
                  let name = Range(match.range(at: 1), in: line) else { continue }
            found.append(Import(module: String(line[name]), line: index + 1))
        }
        return found
    }

    /// Every problem of a package: undeclared imports, imports and declared dependencies against
    /// the layering, each naming the file (or Package.swift) and the modules.
    static func problems(manifest: PackageManifest, sources: [(path: String, text: String)]) -> [String] {
        var problems: [String] = []
        let targetNames = Set(manifest.targets.map(\.name))
        for target in manifest.targets where target.isShipped && target.kind != .systemLibrary {
            for dependency in target.dependencies.sorted() {
                if let why = violation(target.name, imports: dependency) {
                    problems.append("Package.swift: \(target.name) depends on \(dependency): \(why)")
                }
            }
        }
        for (path, text) in sources {
            guard let target = manifest.targets.filter({ path.hasPrefix($0.path + "/") }).max(by: { $0.path.count < $1.path.count }) else {
                problems.append("\(path): belongs to no target of Package.swift")
                continue
            }
            for item in imports(in: text) where !system.contains(item.module) && item.module != target.name {
                let known = targetNames.contains(item.module) || products[item.module] != nil
                if !target.dependencies.contains(item.module) {
                    problems.append("\(path):\(item.line): imports \(item.module), which \(target.name) does not declare in Package.swift"
                                    + (known ? "" : " (and no target of that name exists)"))
                }
                if target.isShipped, let why = violation(target.name, imports: item.module) {
                    problems.append("\(path):\(item.line): \(target.name) imports \(item.module): \(why)")
                }
            }
        }
        return problems
    }
}
