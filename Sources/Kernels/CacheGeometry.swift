import Foundation

/// The per-core data cache sizes the packed GEMM blocks for, read once at run time.
///
/// The blocking depends on the machine the binary runs on, not the one it was built on: Zen 4
/// has a 1 MiB L2, Ice Lake servers 1.25 MiB, Zen 3 512 KiB. Kernels cannot use hwloc (that
/// lives in Hardware), so this asks glibc's `sysconf`, then Linux's sysfs, and falls back to
/// the smallest common sizes (32 KiB L1d, 512 KiB L2) when neither answers.
enum CacheGeometry {
    /// L1 data cache bytes per core.
    static let l1DataBytes: Int = read(level: 1) ?? 32 * 1024
    /// L2 bytes per core.
    static let l2Bytes: Int = read(level: 2) ?? 512 * 1024

    static func read(level: Int) -> Int? {
        #if os(Linux)
        let name = level == 1 ? Int32(_SC_LEVEL1_DCACHE_SIZE) : Int32(_SC_LEVEL2_CACHE_SIZE)
        let value = sysconf(name)
        if value >= 4096 && value <= 64 << 20 { return value }
        #endif
        return sysfs(level: level)
    }

    /// /sys/devices/system/cpu/cpu0/cache/index*/ with `level` and a data or unified type.
    static func sysfs(level: Int) -> Int? {
        let root = "/sys/devices/system/cpu/cpu0/cache"
        for index in 0..<8 {
            let directory = "\(root)/index\(index)"
            func field(_ name: String) -> String? {
                (try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let found = field("level"), Int(found) == level,
                  let type = field("type"), type == "Data" || type == "Unified",
                  let size = field("size") else { continue }
            let scale = size.hasSuffix("K") ? 1024 : size.hasSuffix("M") ? 1 << 20 : 1
            guard let number = Int(size.trimmingCharacters(in: CharacterSet.decimalDigits.inverted)) else { continue }
            let bytes = number * scale
            if bytes >= 4096 && bytes <= 64 << 20 { return bytes }
        }
        return nil
    }
}
