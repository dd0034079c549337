/// The counts of a machine's topology that results depend on.
public struct TopologySummary: Codable, Equatable, Sendable {
    public var packages: Int
    public var cores: Int
    /// Processing units (hardware threads).
    public var pus: Int
    public var numaNodes: Int
    /// Memory of all NUMA nodes as hwloc reports it.
    public var numaMemoryBytes: Int
    /// Per NUMA node: its OS index, memory and the OS indices of its PUs.
    public var numa: [NUMANodeDescription]
    /// OS indices of the PUs of each core, in hwloc's logical core order.
    public var corePus: [[Int]]

    public init(packages: Int, cores: Int, pus: Int, numaNodes: Int, numaMemoryBytes: Int,
                numa: [NUMANodeDescription], corePus: [[Int]]) {
        self.packages = packages
        self.cores = cores
        self.pus = pus
        self.numaNodes = numaNodes
        self.numaMemoryBytes = numaMemoryBytes
        self.numa = numa
        self.corePus = corePus
    }
}

/// One NUMA node.
public struct NUMANodeDescription: Codable, Equatable, Sendable {
    public var index: Int
    public var memoryBytes: Int
    public var pus: [Int]

    public init(index: Int, memoryBytes: Int, pus: [Int]) {
        self.index = index
        self.memoryBytes = memoryBytes
        self.pus = pus
    }
}
