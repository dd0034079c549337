import Foundation
import Support
import Testing
@testable import SuperNet

/// The analytic counts against DyNAS-T's published measurements: every row of every shipped
/// Once-for-All CSV must give exactly its `MACs` and `Model Parameters`.
@Suite struct OFAReferenceTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data/ofa-mbv3-accuracy")

    static var files: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test func theFourCSVsAreShipped() {
        #expect(Self.files.count == 4)
    }

    @Test(arguments: files)
    func everyRowReproducesMACsAndParameters(file: URL) throws {
        let space = OFAMobileNetV3Space()
        let rows = try SubnetFile(url: file, space: space).rows
        #expect(rows.count > 300)
        var mismatches: [String] = []
        for row in rows {
            let macs = space.macs(of: row.subnet), params = space.params(of: row.subnet)
            if Double(macs) != row.recorded["MACs"] || Double(params) != row.recorded["Model Parameters"] {
                mismatches.append("line \(row.line): \(macs) MACs / \(params) params, CSV \(row.recorded)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }

    @Test func aBadRowIsReportedWithItsLineAndField() throws {
        let text = try String(contentsOf: Self.files[0], encoding: .utf8)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        lines[5] = lines[5].replacingOccurrences(of: "'d': [", with: "'d': [7, ").replacingOccurrences(of: "'r'", with: "'x'")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-bad-\(UUID().uuidString).csv")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try SubnetFile(url: url, space: OFAMobileNetV3Space())
        } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains(url.path) && message.contains("line 6") && message.contains("'x'")
        }
    }

    @Test func jsonLinesAreRead() throws {
        let space = OFAMobileNetV3Space()
        var generator = SeededGenerator(seed: 11)
        let subnets = (0..<5).map { _ in space.sample(using: &generator) }
        let text = subnets.map { space.jsonString($0) }.joined(separator: "\n") + "\n\n" + space.dynastString(subnets[0]) + "\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-\(UUID().uuidString).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let rows = try SubnetFile(url: url, space: space).rows
        #expect(rows.map(\.subnet) == subnets + [subnets[0]])
        #expect(rows.last?.line == 7)
    }
}
