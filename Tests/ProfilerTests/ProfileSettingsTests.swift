import Foundation
import Support
import Testing
@testable import Profiler
import Runtime

/// `settings.runtime` is optional when read and the older `settings.gemm` still reads.
@Suite struct ProfileSettingsTests {
    static func decode(_ json: String) throws -> ProfileSettings {
        try JSONDecoder().decode(ProfileSettings.self, from: Data(json.utf8))
    }

    static let older = """
        {"batch": 1, "budget": "standard", "cores": [0], "events": [], "gemm": "blas", "sequence": 128, "threads": 1}
        """

    @Test func settingsWithoutARuntimeReadAsTheNativeRuntimes() throws {
        let settings = try Self.decode(Self.older)
        #expect(settings.runtime == nil)
        #expect(settings.gemm == .blas)
        #expect(settings.executionOptions == ExecutionOptions(batch: 1, threads: 1, gemm: .blas))
        #expect(try Runtimes.named(settings.runtime) is NativeRuntime)
    }

    @Test func theRuntimeIsStoredAsDescribed() throws {
        var settings = try Self.decode(Self.older)
        settings.runtime = RuntimeDescription(name: "onnxruntime", version: "1.17.1", kernels: "mlas avx2", variant: nil,
                                              options: ["intra_op_num_threads": "1"])
        let text = String(decoding: try JSONFormat.encode(settings), as: UTF8.self)
        #expect(text.contains("\"runtime\""))
        #expect(text.contains("\"gemm\" : \"blas\""))
        #expect(try Self.decode(text) == settings)
    }
}
