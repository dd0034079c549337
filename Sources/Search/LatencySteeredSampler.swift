import Foundation
import Support
import SuperNet
import Training

/// Sub-networks drawn evenly over a device's table-predicted latency range (or a band of it),
/// so that an InstaTune run trains the super-network where the device's deployments will be.
///
/// Built once from a seed: a pool of random sub-networks, the smallest and largest ones (found
/// by a coordinate search on the table, so the pool spans the device's whole range), and, for
/// every stretch of latency the pool leaves empty, one found by a short search of single-slot
/// changes. The pool is cut into equal latency buckets; step s draws a target latency uniformly
/// in the band and a member of the target's bucket uniformly (the nearest non-empty bucket when
/// it is empty). A draw is a pure function of the pool and the step, and the fingerprint hashes
/// the pool, so a resumed run that rebuilds the sampler can check it draws what it drew.
public struct LatencySteeredSampler: SubnetSampler {
    /// One sub-network of the pool.
    public struct Member: Sendable {
        public var subnet: Subnet
        public var shape: SubnetShape
        public var latencyMs: Double
    }

    public let space: any SearchSpace
    public let device: String
    public let seed: UInt64
    /// The table-predicted latency of the space's fastest and slowest sub-networks.
    public let range: ClosedRange<Double>
    /// Where the draws' latencies lie: the band asked for within `range`, or `range`.
    public let band: ClosedRange<Double>
    /// The pool's members inside `band`, fastest first.
    public let members: [Member]
    /// Members of each bucket (`band` cut in `bucketCount` equal parts), as index ranges.
    let buckets: [Range<Int>]
    public let fingerprint: String

    public var kind: String { "latency" }
    public var bucketCount: Int { buckets.count }

    /// The sampler of `device` (whose table `latency` reads), drawing in `band` when given.
    /// Throws when no sub-network's predicted latency falls in the band, naming the device's
    /// range.
    public init(
        space: any SearchSpace, latency: any Objective, device: String, band requested: ClosedRange<Double>? = nil,
        seed: UInt64, poolSize: Int = 20_000, bucketCount: Int = 200, shape: @escaping @Sendable (Subnet) -> SubnetShape
    ) throws {
        guard poolSize > 0, bucketCount > 0 else {
            throw HwnasError("latency sampler: pool of \(poolSize) and \(bucketCount) buckets; both must be positive")
        }
        var generator = SeededGenerator(seed: seed)
        var pool = Pool(space: space, latency: latency)
        let smallest = pool.extreme(from: pool.uniform(choice: .first), slower: false)
        let largest = pool.extreme(from: pool.uniform(choice: .last), slower: true)
        pool.add(smallest)
        pool.add(largest)
        for _ in 0..<poolSize { pool.add(space.sample(using: &generator)) }
        let range = pool.latencyRange
        guard range.lowerBound.isFinite, range.upperBound.isFinite, range.upperBound >= range.lowerBound else {
            throw HwnasError("latency sampler: the table of \(device) predicts no finite latency for \(space.name)")
        }
        let rangeText = Self.describe(range)
        var band = range
        if let requested {
            let low = max(requested.lowerBound, range.lowerBound), high = min(requested.upperBound, range.upperBound)
            let outside = "no sub-network of \(space.name) has a predicted latency in \(Self.describe(requested)) on \(device): its table predicts \(rangeText)"
            guard low <= high else { throw HwnasError(outside) }
            if !pool.entries.contains(where: { requested.contains($0.latency) }) {
                // A narrow band between the pool's members: a short search may still find one.
                guard let found = pool.search(towards: (low + high) / 2, accept: { requested.contains($0) }, using: &generator) else {
                    throw HwnasError("none of \(pool.entries.count) sub-networks of \(space.name) sampled and searched has a predicted latency in \(Self.describe(requested)) on \(device) (a band between them): its table predicts \(rangeText)")
                }
                pool.add(found)
            }
            band = low...high
        }
        let width = (band.upperBound - band.lowerBound) / Double(bucketCount)
        func bucket(_ ms: Double) -> Int {
            width > 0 ? min(max(Int((ms - band.lowerBound) / width), 0), bucketCount - 1) : 0
        }
        // Fill the buckets the pool leaves empty with a short search towards their centres.
        if width > 0 {
            var filled = Set(pool.entries.filter { band.contains($0.latency) }.map { bucket($0.latency) })
            for b in 0..<bucketCount where !filled.contains(b) {
                let target = band.lowerBound + (Double(b) + 0.5) * width
                if let found = pool.search(towards: target, accept: { bucket($0) == b && band.contains($0) }, using: &generator) {
                    pool.add(found)
                    filled.insert(b)
                }
            }
        }
        let inside = pool.entries.filter { band.contains($0.latency) }.sorted {
            $0.latency != $1.latency ? $0.latency < $1.latency : $0.key < $1.key
        }
        members = inside.map { Member(subnet: $0.subnet, shape: shape($0.subnet), latencyMs: $0.latency) }
        var ranges: [Range<Int>] = Array(repeating: 0..<0, count: bucketCount)
        var start = 0
        for b in 0..<bucketCount {
            var end = start
            while end < members.count && bucket(members[end].latencyMs) == b { end += 1 }
            ranges[b] = start..<end
            start = end
        }
        buckets = ranges
        var hash = FNV1a()
        hash.add("latency \(space.name) \(device) seed \(seed) pool \(poolSize) buckets \(bucketCount) band \(band.lowerBound.bitPattern)-\(band.upperBound.bitPattern)\n")
        for member in inside { hash.add("\(member.key) \(member.latency.bitPattern)\n") }
        fingerprint = "latency:fnv1a64:" + String(format: "%016llx", hash.value)
        self.space = space
        self.device = device
        self.seed = seed
        self.range = range
        self.band = band
    }

    public func draw(step: Int) -> SampledSubnet {
        var generator = UniformSubnetSampler.generator(seed: seed, step: step)
        let unit = Double(generator.next() >> 11) / 9_007_199_254_740_992
        let target = band.lowerBound + unit * (band.upperBound - band.lowerBound)
        let width = (band.upperBound - band.lowerBound) / Double(buckets.count)
        var b = width > 0 ? min(max(Int((target - band.lowerBound) / width), 0), buckets.count - 1) : 0
        if buckets[b].isEmpty {
            // The nearest bucket that has members, the lower one on a tie.
            var distance = 1
            while true {
                if b - distance >= 0, !buckets[b - distance].isEmpty { b -= distance; break }
                if b + distance < buckets.count, !buckets[b + distance].isEmpty { b += distance; break }
                distance += 1
            }
        }
        let chosen = members[buckets[b].lowerBound + Int.random(in: 0..<buckets[b].count, using: &generator)]
        return SampledSubnet(shape: chosen.shape, targetLatencyMs: target, predictedLatencyMs: chosen.latencyMs)
    }

    /// `2.135..8.4 ms`.
    public static func describe(_ range: ClosedRange<Double>) -> String {
        String(format: "%.4g..%.4g ms", range.lowerBound, range.upperBound)
    }

    /// Distinct sub-networks (by their active slots) with their predicted latency.
    struct Pool {
        struct Entry {
            var subnet: Subnet
            var key: String
            var latency: Double
        }

        enum Choice { case first, last }

        let space: any SearchSpace
        let latency: any Objective
        var entries: [Entry] = []
        var seen: Set<String> = []

        init(space: any SearchSpace, latency: any Objective) {
            self.space = space
            self.latency = latency
        }

        var latencyRange: ClosedRange<Double> {
            let values = entries.map(\.latency)
            return (values.min() ?? .nan)...(values.max() ?? .nan)
        }

        mutating func add(_ subnet: Subnet) {
            let key = space.canonicalGenome(of: subnet).map(String.init).joined(separator: ",")
            guard seen.insert(key).inserted else { return }
            entries.append(Entry(subnet: subnet, key: key, latency: latency.value(of: subnet)))
        }

        /// Every slot at its first (or last) choice.
        func uniform(choice: Choice) -> Subnet {
            var values: [String: [Int]] = [:]
            for gene in space.genes {
                values[gene.name] = Array(repeating: choice == .first ? gene.choices.first! : gene.choices.last!, count: gene.length)
            }
            return Subnet(values: values)
        }

        /// Coordinate search from `start`: each slot in turn set to the choice that makes the
        /// sub-network slowest (or fastest), until no slot changes. On a table whose latency is
        /// a sum over blocks, this reaches the space's slowest (fastest) sub-network.
        func extreme(from start: Subnet, slower: Bool) -> Subnet {
            var genome = space.genome(of: start)
            var best = latency.value(of: start)
            let counts = space.genes.flatMap { gene in Array(repeating: gene.choices.count, count: gene.length) }
            var changed = true
            while changed {
                changed = false
                for slot in genome.indices {
                    for choice in 0..<counts[slot] where choice != genome[slot] {
                        var candidate = genome
                        candidate[slot] = choice
                        guard let subnet = try? space.subnet(genome: candidate) else { continue }
                        let value = latency.value(of: subnet)
                        if slower ? value > best : value < best {
                            best = value
                            genome = candidate
                            changed = true
                        }
                    }
                }
            }
            return (try? space.subnet(genome: genome)) ?? start
        }

        /// A sub-network whose latency `accept`s, from the member nearest `target` by single-slot
        /// changes that bring it closer (at most 256 tries); nil when none is found.
        func search(towards target: Double, accept: (Double) -> Bool, using generator: inout SeededGenerator) -> Subnet? {
            guard let nearest = entries.min(by: { abs($0.latency - target) < abs($1.latency - target) }) else { return nil }
            var genome = space.genome(of: nearest.subnet)
            var distance = abs(nearest.latency - target)
            let counts = space.genes.flatMap { gene in Array(repeating: gene.choices.count, count: gene.length) }
            for _ in 0..<256 {
                var candidate = genome
                let slot = Int.random(in: 0..<candidate.count, using: &generator)
                candidate[slot] = Int.random(in: 0..<counts[slot], using: &generator)
                guard let subnet = try? space.subnet(genome: candidate) else { continue }
                let value = latency.value(of: subnet)
                if accept(value) { return subnet }
                if abs(value - target) < distance {
                    distance = abs(value - target)
                    genome = candidate
                }
            }
            return nil
        }
    }
}
