/// What ran a profile's blocks, as the runtime describes itself; stored in the profile's
/// settings (`settings.runtime`) and not interpreted by the profiler. Profiles written before
/// runtimes were described have none: they were taken by the native runtime.
public struct RuntimeDescription: Codable, Equatable, Sendable {
    /// `native` for hwnas's own kernels.
    public var name: String
    public var version: String
    /// The kernels that do the work, e.g. `znver3 micro-kernels, OpenBLAS Zen`.
    public var kernels: String
    /// How the kernels differ from this runtime's default on the machine (the BLAS instead of
    /// the packed GEMM, another CPU's BLAS kernels), nil when they do not; `deviceVariant`
    /// turns it into a device id's variant.
    public var variant: String?
    /// The options the blocks were prepared with, by name.
    public var options: [String: String]
    /// The kernel variant that ran each class of work; nil (`unknown`) in descriptions written
    /// before it was recorded.
    public var kernelVariants: KernelVariants?

    public init(name: String, version: String, kernels: String, variant: String?, options: [String: String],
                kernelVariants: KernelVariants? = nil) {
        self.name = name
        self.version = version
        self.kernels = kernels
        self.variant = variant
        self.options = options
        self.kernelVariants = kernelVariants
    }

    /// The name of the runtime of hwnas's own kernels.
    public static let nativeName = "native"

    /// The variant part of a device id measured by this runtime: the kernel variant as it is
    /// for the native runtime (`blas-sandybridge`), after the runtime's name for any other
    /// (`ort` for ONNX Runtime, `ort-avx2`), so that each runtime is a device of its own. The one
    /// place a device id's variant is derived.
    public var deviceVariant: String? {
        guard name != Self.nativeName else { return variant }
        let parts = [Self.deviceTag(name)] + (variant.map { [Self.idPart($0)] } ?? [])
        let kept = parts.filter { !$0.isEmpty }
        return kept.isEmpty ? nil : kept.joined(separator: "-")
    }

    /// A runtime's part of a device id: `ort` for ONNX Runtime, as its users call it; the name
    /// spelled as an id part for any other.
    public static func deviceTag(_ name: String) -> String {
        name == "onnxruntime" ? "ort" : idPart(name)
    }

    /// Lower-case letters and digits, dash-separated, as device ids are spelled.
    public static func idPart(_ text: String) -> String {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) || !$0.isASCII })
            .joined(separator: "-")
    }
}
