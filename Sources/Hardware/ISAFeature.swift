/// The instruction-set features that decide which kernels can run and how fast.
public enum ISAFeature {
    /// hwnas's names, in report order, with the /proc/cpuinfo flags that mean each.
    public static let all: [(name: String, flags: [String])] = [
        ("sse4.2", ["sse4_2"]), ("avx", ["avx"]), ("avx2", ["avx2"]), ("fma", ["fma"]),
        ("f16c", ["f16c"]), ("bmi2", ["bmi2"]),
        ("avx512f", ["avx512f"]), ("avx512bw", ["avx512bw"]), ("avx512vl", ["avx512vl"]),
        ("avx512vnni", ["avx512_vnni"]), ("avx512bf16", ["avx512_bf16"]),
        ("amx", ["amx_tile"]),
        ("neon", ["asimd", "neon"]), ("sve", ["sve"]),
    ]

    /// The features whose flags appear in `flags`, in `all`'s order.
    public static func present(in flags: Set<String>) -> [String] {
        all.filter { $0.flags.contains(where: flags.contains) }.map(\.name)
    }
}
