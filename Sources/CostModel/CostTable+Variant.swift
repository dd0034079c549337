import Foundation
import Runtime

extension CostTable {
    /// A warning when what is measured here now (`current`) runs other kernels than the table's
    /// entries were measured with, naming both; nil when they match. A table made before the
    /// variants were recorded reads as `unknown`.
    public func kernelVariantMismatch(current: RuntimeDescription, tableFile: String) -> String? {
        let table = KernelVariants.label(settings.kernelVariants)
        let here = KernelVariants.label(current.kernelVariants)
        guard table != here else { return nil }
        return "\(tableFile) was measured with kernels \(table), but this build runs \(here): "
            + "measurements here time other code than the table's entries"
    }
}

extension CostTable {
    /// The kernel variants of the table's entries as `hwnas devices` shows them. Tables made
    /// before the variants were recorded say `unknown`, except native-runtime tables whose build
    /// had AVX2 and FMA: until the variants were recorded hwnas had one packed GEMM (the AVX2 4x24
    /// tile) and AVX2 depthwise and element-wise kernels, and the BLAS (its kernel set recorded in
    /// the machine) did the products when the settings chose it; those read `(inferred)`.
    public var kernelVariantLabel: String {
        if let recorded = settings.kernelVariants { return recorded.summary }
        let native = (settings.runtime?.name ?? RuntimeDescription.nativeName) == RuntimeDescription.nativeName
        let features = Set(machine.build.features)
        guard native, features.isSuperset(of: ["avx2", "fma"]) else { return "unknown" }
        let gemm: String
        if settings.executionOptions.effectiveGemm == .blas {
            guard let core = machine.blas?.coreName else { return "unknown" }
            gemm = RuntimeDescription.idPart("openblas \(core)")
        } else {
            gemm = "avx2-4x24"
        }
        return KernelVariants(gemm: gemm, depthwise: "avx2", elementwise: "avx2", attention: "sgemm").summary + " (inferred)"
    }
}
