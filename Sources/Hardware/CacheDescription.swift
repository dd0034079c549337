/// One level and kind of CPU cache, as hwloc found it.
public struct CacheDescription: Codable, Equatable, Sendable {
    /// 1 for L1, 2 for L2, ...
    public var level: Int
    /// "data", "instruction" or "unified".
    public var kind: String
    public var sizeBytes: Int
    public var lineBytes: Int
    /// Ways of associativity; -1 fully associative, 0 unknown.
    public var associativity: Int
    /// How many processing units share one instance of this cache.
    public var sharedByPus: Int
    /// How many instances of this cache the machine has.
    public var instances: Int

    public init(level: Int, kind: String, sizeBytes: Int, lineBytes: Int, associativity: Int,
                sharedByPus: Int, instances: Int) {
        self.level = level
        self.kind = kind
        self.sizeBytes = sizeBytes
        self.lineBytes = lineBytes
        self.associativity = associativity
        self.sharedByPus = sharedByPus
        self.instances = instances
    }
}
