import Foundation
import SuperNet
import Testing

/// Genes are named by their space: no code outside SuperNet spells a gene name as a string
/// literal (a gene with a role, such as the input resolution, is found through the role).
@Suite struct GeneNameLiteralTests {
    /// The names and aliases of every gene of every space hwnas knows.
    static let geneNames = Set(SearchSpaces.all.flatMap { $0.genes.flatMap { [$0.name] + $0.aliases } })

    @Test func noSourceOutsideSuperNetSpellsAGeneName() throws {
        #expect(Self.geneNames.contains("r") && Self.geneNames.contains("num_layers"))
        let files = try ModuleLayeringTests.sources(under: ["Sources"]).filter { !$0.path.hasPrefix("Sources/SuperNet/") }
        #expect(files.count > 50)
        var problems: [String] = []
        for (path, text) in files {
            for literal in StringLiteralScanner(text).literals where Self.geneNames.contains(literal.text) {
                problems.append("\(path):\(literal.line): the string literal \"\(literal.text)\" names a gene; ask the space for it (its genes, or the gene of a role)")
            }
        }
        #expect(problems.isEmpty, "\n\(problems.joined(separator: "\n"))")
    }

    /// The scanner finds literals inside interpolations and skips comments and escapes.
    @Test func scannerReadsSwiftLiterals() {
        let source = #"""
            // a comment with "r"
            let a = "r" /* "ks" /* nested "d" */ */
            let b = "width \(subnet["e"]) and \("x")"
            let c = "\r"
            let d = #"raw "quoted" \(not) "#
            let e = """
                many
                lines
                """
            let f = "after"
            """#
        let literals = StringLiteralScanner(source).literals
        #expect(literals == [
            .init(text: "r", line: 2),
            .init(text: "e", line: 3), .init(text: "x", line: 3), .init(text: "width  and ", line: 3),
            .init(text: "\\r", line: 4),
            .init(text: #"raw "quoted" \(not) "#, line: 5),
            .init(text: "\n    many\n    lines\n    ", line: 6),
            .init(text: "after", line: 10),
        ])
    }
}
