import Foundation

/// The targets of Package.swift as its text declares them: name, folder, declared dependencies.
///
/// Read from the text rather than from `swift package dump-package` so that the check runs
/// inside `swift test` without a second package build; Package.swift spells every target as
/// `.target(name: "X", dependencies: [...], path: "...")`, which is all this reads.
struct PackageManifest {
    struct Target {
        enum Kind: String { case target, testTarget, executableTarget, systemLibrary }
        var kind: Kind
        var name: String
        /// The folder of its sources, relative to the package root.
        var path: String
        /// Target names and product names (`ArgumentParser`) it declares.
        var dependencies: Set<String>
        /// Code that ships (Sources/, Benchmarks/), as opposed to test code under Tests/.
        var isShipped: Bool { kind != .testTarget && !path.hasPrefix("Tests/") }
    }

    var targets: [Target]

    init(text: String) {
        let bytes = Array(text.utf8)
        var targets: [Target] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "."), let kind = Self.kind(in: bytes, at: i + 1) else { i += 1; continue }
            let open = i + 1 + kind.rawValue.utf8.count
            let close = Self.matching(bytes, open: open)
            let call = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
            if let name = Self.firstString(after: "name:", in: call) {
                let path = Self.firstString(after: "path:", in: call)
                    ?? (kind == .testTarget ? "Tests/\(name)" : "Sources/\(name)")
                targets.append(Target(kind: kind, name: name, path: path, dependencies: Self.dependencies(in: call)))
            }
            i = close + 1
        }
        self.targets = targets
    }

    subscript(name: String) -> Target? { targets.first { $0.name == name } }

    /// The target kind whose call starts at `index` followed by `(`, if any.
    private static func kind(in bytes: [UInt8], at index: Int) -> Target.Kind? {
        // Longest names first: `target` is a prefix of none, but keep the order explicit.
        for kind in [Target.Kind.executableTarget, .systemLibrary, .testTarget, .target] {
            let word = Array(kind.rawValue.utf8)
            let end = index + word.count
            if end < bytes.count, Array(bytes[index..<end]) == word, bytes[end] == UInt8(ascii: "(") { return kind }
        }
        return nil
    }

    /// The index of the bracket closing the one at `open`, skipping string literals.
    private static func matching(_ bytes: [UInt8], open: Int) -> Int {
        let opener = bytes[open], closer: UInt8 = opener == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
        var depth = 0, i = open, inString = false
        while i < bytes.count {
            let c = bytes[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == opener {
                depth += 1
            } else if c == closer {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return bytes.count - 1
    }

    private static func firstString(after label: String, in text: String) -> String? {
        guard let range = text.range(of: label) else { return nil }
        return strings(in: String(text[range.upperBound...])).first
    }

    /// The string literals of `dependencies: [...]`, leaving out `package:` names.
    private static func dependencies(in call: String) -> Set<String> {
        guard let label = call.range(of: "dependencies:"),
              let open = call[label.upperBound...].firstIndex(of: "[") else { return [] }
        let rest = Array(call[open...].utf8)
        let list = String(decoding: rest[1..<matching(rest, open: 0)], as: UTF8.self)
        let packageNames = list.components(separatedBy: "package:").dropFirst().compactMap { strings(in: $0).first }
        return Set(strings(in: list)).subtracting(packageNames)
    }

    /// The contents of the plain string literals of a text, in order.
    private static func strings(in text: String) -> [String] {
        var found: [String] = []
        var current: String?
        var escaped = false
        for c in text {
            if var s = current {
                if escaped { escaped = false; s.append(c); current = s; continue }
                if c == "\\" { escaped = true; continue }
                if c == "\"" { found.append(s); current = nil } else { s.append(c); current = s }
            } else if c == "\"" {
                current = ""
            }
        }
        return found
    }
}
