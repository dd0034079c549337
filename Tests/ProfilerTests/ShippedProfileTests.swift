import Foundation
import Hardware
import Support
import Testing
@testable import Profiler
@testable import Runtime

/// The profiles shipped under profiles/ load; those written before runtimes were described read
/// as the native runtime's, those of another runtime name one this build has; and every device
/// id's variant is the one the runtime's description derives from the settings.
@Suite struct ShippedProfileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shippedProfiles() throws -> [URL] {
        let folder = root.appendingPathComponent("profiles")
        let devices = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        return try devices.flatMap { device in
            try FileManager.default.contentsOfDirectory(at: device, includingPropertiesForKeys: nil)
                .filter { $0.lastPathComponent.hasSuffix(".profile.json") }
        }.sorted { $0.path < $1.path }
    }

    @Test func everyShippedProfileLoads() throws {
        let urls = try Self.shippedProfiles()
        #expect(urls.count >= 9)
        for url in urls {
            let profile = try Profile.read(from: url)
            // Profiles measured before runtimes were described have no description; those
            // measured since name the kernels that ran and follow the denormal rule.
            if let runtime = profile.settings.runtime {
                #expect(runtime.kernelVariants != nil, "\(url.path)")
                #expect(profile.settings.flushDenormals == true, "\(url.path)")
            } else {
                #expect(profile.settings.flushDenormals == nil, "\(url.path)")
            }
            if let runtime = profile.settings.runtime, runtime.name != RuntimeDescription.nativeName {
                // Not started here: the worker's environment is the runtime's own tests' concern.
                #expect(Runtimes.names.contains(runtime.name), "\(url.path)")
                #expect(!runtime.version.isEmpty, "\(url.path)")
            } else {
                #expect(try Runtimes.named(profile.settings.runtime) is NativeRuntime, "\(url.path)")
            }
            #expect(!profile.entries.isEmpty)
        }
    }

    @Test func theDerivedVariantIsTheShippedDevicesVariant() throws {
        for url in try Self.shippedProfiles() {
            let profile = try Profile.read(from: url)
            if let runtime = profile.settings.runtime, runtime.name != RuntimeDescription.nativeName {
                #expect(runtime.deviceVariant == (try DeviceID(parsing: profile.device)).variant, "\(url.path)")
                continue
            }
            let variant = NativeRuntime.variant(options: profile.settings.executionOptions,
                                                forcedCoreType: profile.machine.blas?.coreTypeOverride)
            let described = RuntimeDescription(name: RuntimeDescription.nativeName, version: profile.hwnasVersion,
                                               kernels: "", variant: variant, options: [:])
            #expect(described.deviceVariant == (try DeviceID(parsing: profile.device)).variant, "\(url.path)")
        }
    }
}
