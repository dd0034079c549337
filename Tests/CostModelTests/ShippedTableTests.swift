import Foundation
import Profiler
import Runtime
import Support
import SuperNet
import Testing
@testable import CostModel

/// The tables shipped under profiles/ (older ones written before runtimes were described) load and
/// say which kernels their entries were measured with, and
/// profiles of different runtimes do not merge into one table.
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
                if let runtime = table.settings.runtime {
                    #expect(runtime.kernelVariants != nil, "\(url.path)")
                    #expect(!table.kernelVariantLabel.contains("inferred"), "\(url.path)")
                } else {
                    #expect(table.kernelVariantLabel.hasSuffix("(inferred)"), "\(url.path)")
                }
                #expect(warnings.isEmpty, "\(url.path): \(warnings)")
                count += 1
            }
        }
        #expect(count >= 9)
    }

    /// A profile without a description is the native runtime's: it merges with one that says
    /// so without naming its kernels, not with one measured with named kernels (other code, as
    /// far as anyone can tell), nor with another runtime's; each refusal names the field.
    @Test func profilesOfDifferentRuntimesDoNotMerge() throws {
        let bert = BertBaseSpace()
        let older = CostModelTests.profile(space: bert, settings: bert.defaultSettings) { _ in 1 }
        var described = older
        described.settings.runtime = NativeRuntime().describe(options: older.settings.executionOptions)
        described.settings.runtime?.kernelVariants = nil
        _ = try CostTable(profiles: [(CostModelTests.url, older), (CostModelTests.url, described)])

        var native = older
        native.settings.runtime = NativeRuntime().describe(options: older.settings.executionOptions)
        #expect(native.settings.kernelVariants != nil)
        let variantError = #expect(throws: HwnasError.self) {
            try CostTable(profiles: [(CostModelTests.url, older), (CostModelTests.url, native)])
        }
        #expect(variantError?.message.contains("kernel variant unknown") == true)
        _ = try CostTable(profiles: [(CostModelTests.url, native), (CostModelTests.url, native)])

        var other = older
        other.settings.runtime = RuntimeDescription(name: "onnxruntime", version: "1.17.1", kernels: "mlas", variant: nil, options: [:])
        let error = #expect(throws: HwnasError.self) {
            try CostTable(profiles: [(CostModelTests.url, older), (CostModelTests.url, other)])
        }
        #expect(error?.message.contains("runtime onnxruntime") == true)

        // Profiles of two ONNX Runtime versions are two runtimes: never merged.
        var newer = other
        newer.settings.runtime?.version = "1.32.0"
        _ = try CostTable(profiles: [(CostModelTests.url, other), (CostModelTests.url, other)])
        let versionError = #expect(throws: HwnasError.self) {
            try CostTable(profiles: [(CostModelTests.url, other), (CostModelTests.url, newer)])
        }
        #expect(versionError?.message.contains("runtime version 1.32.0") == true)
    }
}
