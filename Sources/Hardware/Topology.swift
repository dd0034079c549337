import CHwloc
import Foundation
import Support

/// The machine's topology as hwloc sees it: packages, cores, PUs, NUMA nodes and caches.
///
/// Loaded from the running system, or from an hwloc XML export of another machine (then only
/// the structure is known; nothing can be measured or pinned through it).
public final class Topology: @unchecked Sendable {
    // hwloc topologies are safe to read from several threads once loaded; this class never
    // modifies one after `init`.
    let handle: hwloc_topology_t
    /// Where the topology came from: nil for this machine, the XML file otherwise.
    public let xmlSource: URL?

    private init(xml: URL?) throws {
        var topology: hwloc_topology_t?
        guard hwloc_topology_init(&topology) == 0, let topology else {
            throw HwnasError("hwloc could not initialise a topology")
        }
        if let xml {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: xml.path, isDirectory: &isFolder) else {
                hwloc_topology_destroy(topology)
                throw HwnasError("cannot read hwloc XML \(xml.path): no such file")
            }
            guard !isFolder.boolValue else {
                hwloc_topology_destroy(topology)
                throw HwnasError("cannot read hwloc XML \(xml.path): it is a folder, not a file")
            }
            guard FileManager.default.isReadableFile(atPath: xml.path) else {
                hwloc_topology_destroy(topology)
                throw HwnasError("cannot read hwloc XML \(xml.path): permission denied")
            }
            guard hwloc_topology_set_xml(topology, xml.path) == 0 else {
                hwloc_topology_destroy(topology)
                throw HwnasError("\(xml.path) is not an hwloc XML topology (hwloc could not open it: \(String(cString: strerror(errno))))")
            }
        }
        // Keep I/O objects out: they cost time and say nothing about compute.
        _ = hwloc_topology_set_io_types_filter(topology, HWLOC_TYPE_FILTER_KEEP_NONE)
        // hwloc 2 drops instruction caches unless asked; a descriptor lists every cache.
        _ = hwloc_topology_set_icache_types_filter(topology, HWLOC_TYPE_FILTER_KEEP_ALL)
        guard hwloc_topology_load(topology) == 0 else {
            hwloc_topology_destroy(topology)
            if let xml {
                throw HwnasError("\(xml.path) is not a valid hwloc XML topology (hwloc could not parse it)")
            }
            throw HwnasError("hwloc could not load this machine's topology: \(String(cString: strerror(errno)))")
        }
        self.handle = topology
        self.xmlSource = xml
        if xml != nil, count(HWLOC_OBJ_PU) == 0 {
            throw HwnasError("\(xml!.path) describes no processing units; it is not a usable hwloc topology")
        }
    }

    deinit {
        hwloc_topology_destroy(handle)
    }

    /// The topology of the machine this process runs on.
    public static func current() throws -> Topology {
        try Topology(xml: nil)
    }

    /// The topology stored in an hwloc XML file (from `lstopo file.xml` or `hwnas hardware`).
    public static func load(xml url: URL) throws -> Topology {
        try Topology(xml: url)
    }

    /// True when this is the running machine (pinning and measuring are possible).
    public var isThisMachine: Bool { xmlSource == nil && hwloc_topology_is_thissystem(handle) != 0 }

    func count(_ type: hwloc_obj_type_t) -> Int {
        Int(hwnas_hwloc_count(handle, type))
    }

    func objects(_ type: hwloc_obj_type_t) -> [hwloc_obj_t] {
        (0..<count(type)).compactMap { hwnas_hwloc_object(handle, type, UInt32($0)) }
    }

    /// The OS indices of the PUs in an hwloc bitmap.
    static func indices(of bitmap: hwloc_const_bitmap_t?) -> [Int] {
        guard let bitmap else { return [] }
        var result: [Int] = []
        var index = hwloc_bitmap_first(bitmap)
        while index >= 0 {
            result.append(Int(index))
            index = hwloc_bitmap_next(bitmap, index)
        }
        return result
    }

    /// OS indices of the PUs of each core, in logical order.
    public var corePus: [[Int]] {
        objects(HWLOC_OBJ_CORE).map { Topology.indices(of: $0.pointee.cpuset) }
    }

    /// OS indices of all PUs.
    public var puIndices: [Int] {
        objects(HWLOC_OBJ_PU).map { Int($0.pointee.os_index) }
    }

    /// The counts of packages, cores, PUs and NUMA nodes, with memory per node.
    public var summary: TopologySummary {
        let nodes = objects(HWLOC_OBJ_NUMANODE).map { node in
            NUMANodeDescription(
                index: Int(node.pointee.os_index),
                memoryBytes: Int(node.pointee.attr?.pointee.numanode.local_memory ?? 0),
                pus: Topology.indices(of: node.pointee.cpuset))
        }
        return TopologySummary(
            packages: count(HWLOC_OBJ_PACKAGE),
            cores: count(HWLOC_OBJ_CORE),
            pus: count(HWLOC_OBJ_PU),
            numaNodes: max(nodes.count, 1),
            numaMemoryBytes: nodes.reduce(0) { $0 + $1.memoryBytes },
            numa: nodes,
            corePus: corePus)
    }

    /// Every cache level and kind, with how many PUs share one instance.
    public var caches: [CacheDescription] {
        let types: [hwloc_obj_type_t] = [
            HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L2ICACHE,
            HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE, HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE,
        ]
        var result: [CacheDescription] = []
        for type in types {
            let caches = objects(type)
            guard let first = caches.first, let attr = first.pointee.attr?.pointee.cache else { continue }
            let kind: String
            switch attr.type {
            case HWLOC_OBJ_CACHE_DATA: kind = "data"
            case HWLOC_OBJ_CACHE_INSTRUCTION: kind = "instruction"
            default: kind = "unified"
            }
            result.append(CacheDescription(
                level: Int(attr.depth), kind: kind, sizeBytes: Int(attr.size), lineBytes: Int(attr.linesize),
                associativity: Int(attr.associativity),
                sharedByPus: Int(hwloc_bitmap_weight(first.pointee.cpuset)),
                instances: caches.count))
        }
        return result
    }

    /// An info attribute of the first package (CPUVendor, CPUModel, CPUFamilyNumber, ...), which
    /// hwloc records on x86 and keeps in its XML export.
    public func packageInfo(_ name: String) -> String? {
        guard let package = objects(HWLOC_OBJ_PACKAGE).first,
              let value = hwloc_obj_get_info_by_name(package, name) else { return nil }
        return String(cString: value)
    }

    /// An info attribute of the root object (OSName, OSRelease, HostName, ...).
    public func rootInfo(_ name: String) -> String? {
        guard let root = hwloc_get_root_obj(handle), let value = hwloc_obj_get_info_by_name(root, name) else { return nil }
        return String(cString: value)
    }

    /// hwloc's XML export of this topology.
    public func xml() throws -> String {
        var buffer: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        guard hwloc_topology_export_xmlbuffer(handle, &buffer, &length, 0) == 0, let buffer else {
            throw HwnasError("hwloc could not export the topology as XML")
        }
        defer { hwloc_free_xmlbuffer(handle, buffer) }
        return String(cString: buffer)
    }

    /// Writes the XML export atomically.
    public func exportXML(to url: URL) throws {
        try AtomicFile.write(xml(), to: url)
    }

    /// Binds the calling thread to the given PUs (OS indices). Throws when not this machine or
    /// when the OS refuses.
    public func bindCurrentThread(to pus: [Int]) throws {
        guard isThisMachine else {
            throw HwnasError("cannot pin threads on a topology loaded from \(xmlSource?.path ?? "XML")")
        }
        guard !pus.isEmpty else { throw HwnasError("cannot pin a thread to an empty list of PUs") }
        let known = Set(puIndices)
        if let unknown = pus.first(where: { !known.contains($0) }) {
            throw HwnasError("no processing unit \(unknown) on this machine (PUs: \(puIndices.map(String.init).joined(separator: ",")))")
        }
        guard let set = hwloc_bitmap_alloc() else { throw HwnasError("hwloc could not allocate a bitmap") }
        defer { hwloc_bitmap_free(set) }
        for pu in pus { hwloc_bitmap_set(set, UInt32(pu)) }
        let flags = Int32(HWLOC_CPUBIND_THREAD.rawValue | HWLOC_CPUBIND_STRICT.rawValue)
        if hwloc_set_cpubind(handle, set, flags) != 0 {
            let reason = String(cString: strerror(errno))
            throw HwnasError("cannot pin thread to PUs \(pus.map(String.init).joined(separator: ",")): \(reason)")
        }
    }

    /// The PUs the calling thread is allowed to run on now.
    public func currentThreadBinding() -> [Int] {
        guard let set = hwloc_bitmap_alloc() else { return [] }
        defer { hwloc_bitmap_free(set) }
        guard hwloc_get_cpubind(handle, set, Int32(HWLOC_CPUBIND_THREAD.rawValue)) == 0 else { return [] }
        return Topology.indices(of: set)
    }
}
