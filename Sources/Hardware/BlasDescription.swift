/// The BLAS a descriptor was measured with.
public struct BlasDescription: Codable, Equatable, Sendable {
    public var name: String
    public var config: String
    public var coreName: String
    /// Threads OpenBLAS would use by default in this process (OPENBLAS_NUM_THREADS or cores).
    public var threads: Int
    /// OPENBLAS_CORETYPE when set: the kernels were forced, not chosen for the CPU.
    public var coreTypeOverride: String?

    public init(name: String, config: String, coreName: String, threads: Int, coreTypeOverride: String? = nil) {
        self.name = name
        self.config = config
        self.coreName = coreName
        self.threads = threads
        self.coreTypeOverride = coreTypeOverride
    }
}
