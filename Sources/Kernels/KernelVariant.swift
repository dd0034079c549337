import CPlatform

/// Which micro-kernel family runs a class of work, chosen from the ISA the binary was built for.
///
/// A profile records the variants that actually ran, so two profiles of one machine measured with
/// different code are told apart. Tests force each variant the machine can run through
/// `KernelDispatch.forcing(_:_:)`, so every path is checked against the plain reference.
public enum KernelVariant: String, CaseIterable, Sendable, Codable {
    /// 256-bit vectors (AVX2 + FMA).
    case avx2
    /// 512-bit vectors (AVX-512 F/BW/VL).
    case avx512

    /// The widest variant the build target allows.
    public static let native: KernelVariant = hwnas_build_has_avx512() != 0 ? .avx512 : .avx2

    /// The variants this binary can run: every variant up to the one it was built for.
    public static var runnable: [KernelVariant] { native == .avx512 ? [.avx2, .avx512] : [.avx2] }
}
