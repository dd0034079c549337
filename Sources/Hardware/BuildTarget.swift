import CPlatform
import Support

/// The CPU the hwnas binary was compiled for, and the ISA features that let the compiler use.
///
/// Kernels are compiled for the CPU they run on (on the generic x86-64 target a SIMD fused
/// multiply-add becomes a libm call, forty times slower). A binary built for features the running
/// CPU lacks would fault or mislead, so measuring commands check `requireRunnable` first.
public struct BuildTarget: Codable, Equatable, Sendable {
    /// The compiler's CPU name, e.g. "znver3", or "native" when built without the Makefile.
    public var cpu: String
    /// Kernel-relevant features the compiler was allowed to use.
    public var features: [String]
    public var compiler: String

    public init(cpu: String, features: [String], compiler: String) {
        self.cpu = cpu
        self.features = features
        self.compiler = compiler
    }

    /// The target of this binary, read from the C compiler's predefined macros at build time.
    public static let current = BuildTarget(
        cpu: String(cString: hwnas_build_target_cpu()),
        features: String(cString: hwnas_build_features()).split(separator: " ").map(String.init),
        compiler: String(cString: hwnas_build_compiler()))

    /// No binary: a machine described from its hwloc XML elsewhere, where hwnas never ran.
    public static let unknown = BuildTarget(cpu: "unknown", features: [], compiler: "unknown")

    public var isUnknown: Bool { self == .unknown }

    /// Features this binary needs that the CPU lacks.
    public func missingFeatures(on cpu: CPUDescription) -> [String] {
        let present = Set(cpu.isa)
        return features.filter { !present.contains($0) }
    }

    /// Throws, saying to rebuild, when this binary needs features the CPU lacks.
    public func requireRunnable(on cpu: CPUDescription) throws {
        let missing = missingFeatures(on: cpu)
        guard missing.isEmpty else {
            throw HwnasError(
                "this hwnas was built for CPU '\(self.cpu)' and uses \(missing.joined(separator: ", ")), "
                    + "which this CPU (\(cpu.modelName)) lacks; rebuild on this machine with `make build`")
        }
    }

    /// True when the binary was compiled for a generic CPU: kernels will run far below peak.
    public var isGeneric: Bool {
        !features.contains("avx2") && !features.contains("neon")
    }
}
