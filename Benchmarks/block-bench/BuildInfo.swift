import Hardware
import Kernels
import Support

/// What produced hwnas's side of a comparison: the build target, the kernels dispatched and the
/// BLAS, as `block-bench --peer-blocks` reports them.
struct BuildInfo: Codable {
    var hwnas: String
    var machine: String
    var buildTarget: String
    var buildFeatures: [String]
    var compiler: String
    var kernelVariant: String
    var kernelDispatch: KernelDispatch
    var blas: String

    static func current() throws -> BuildInfo {
        let cpu = try CPUDescription.current()
        return BuildInfo(
            hwnas: HwnasVersion.current, machine: MachineID.derive(from: cpu), buildTarget: BuildTarget.current.cpu,
            buildFeatures: BuildTarget.current.features, compiler: BuildTarget.current.compiler,
            kernelVariant: KernelDispatch.variant.rawValue, kernelDispatch: KernelDispatch.current,
            blas: "\(BlasLibrary.config), core \(BlasLibrary.coreName)")
    }
}
