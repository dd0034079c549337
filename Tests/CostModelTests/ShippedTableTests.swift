import Foundation
import Testing
@testable import CostModel

/// The tables shipped under profiles/ (written before runtimes were described) still load.
@Suite struct ShippedTableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyShippedTableLoads() throws {
        let folder = Self.root.appendingPathComponent("profiles")
        var count = 0
        for device in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            for url in try FileManager.default.contentsOfDirectory(at: device, includingPropertiesForKeys: nil)
            where url.lastPathComponent.hasSuffix(".lut.json") {
                var warnings: [String] = []
                let table = try CostTable.read(from: url) { warnings.append($0) }
                #expect(table.settings.runtime == nil, "\(url.path)")
                #expect(warnings.isEmpty, "\(url.path): \(warnings)")
                count += 1
            }
        }
        #expect(count >= 9)
    }
}
