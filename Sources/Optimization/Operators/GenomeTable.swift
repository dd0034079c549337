/// A set of genomes, stored as row numbers of a flat genome buffer, for duplicate elimination:
/// open addressing on a hash of the genes' bit patterns, so a lookup costs one hash and usually
/// one comparison instead of a scan of the population.
///
/// Genomes are duplicates when every gene is equal (0 and -0 are equal). pymoo calls two
/// genomes duplicates when their Euclidean distance is at most 1e-16, which for genes of the
/// usual magnitudes is the same thing.
struct GenomeTable {
    private var slots: [Int32]
    private var mask: Int
    private(set) var count = 0
    let length: Int

    init(length: Int, capacity: Int) {
        self.length = length
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    mutating func removeAll() {
        for i in slots.indices { slots[i] = -1 }
        count = 0
    }

    @inline(__always)
    static func hash(_ genome: UnsafePointer<Double>, length: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in 0..<length {
            let x = genome[i]
            h = (h ^ (x == 0 ? 0 : x.bitPattern)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
        }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// Inserts row `row` of `genomes` unless an equal genome is there; returns whether it was new.
    @inline(__always)
    mutating func insert(row: Int, of genomes: UnsafePointer<Double>) -> Bool {
        if (count + 1) * 2 > slots.count { grow(genomes) }
        let genome = genomes + row * length
        var slot = Self.hash(genome, length: length) & mask
        while slots[slot] >= 0 {
            let other = genomes + Int(slots[slot]) * length
            var equal = true
            for i in 0..<length where genome[i] != other[i] {
                equal = false
                break
            }
            if equal { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(row)
        count += 1
        return true
    }

    private mutating func grow(_ genomes: UnsafePointer<Double>) {
        let rows = slots.filter { $0 >= 0 }
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        count = 0
        for row in rows { _ = insert(row: Int(row), of: genomes) }
    }
}
