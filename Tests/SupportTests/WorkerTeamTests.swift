import Foundation
import Support
import Testing

@Suite struct WorkerTeamTests {
    /// Every index runs once per run, on as many distinct threads as the team has, run after
    /// run; the caller's thread runs index 0.
    @Test(arguments: [1, 2, 3])
    func everyIndexRunsOncePerRun(_ size: Int) throws {
        let team = try WorkerTeam(size: size)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: size)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let threads = UnsafeMutableBufferPointer<ObjectIdentifier?>.allocate(capacity: size)
        threads.initialize(repeating: nil)
        defer { threads.deallocate() }
        let caller = ObjectIdentifier(Thread.current)
        for _ in 0..<200 {
            team.run { index in
                counts[index] += 1
                threads[index] = ObjectIdentifier(Thread.current)
            }
        }
        #expect(Array(counts) == Array(repeating: 200, count: size))
        #expect(Set(threads).count == size)
        #expect(threads[0] == caller)
    }

    /// Set-up runs on each helper before any run; a failing one makes the team refuse to start.
    @Test func setUpRunsOnEachHelperAndCanFail() throws {
        let seen = NSLock()
        nonisolated(unsafe) var indices: [Int] = []
        _ = try WorkerTeam(size: 3) { index in seen.withLock { indices.append(index) } }
        #expect(indices.sorted() == [1, 2])
        #expect(throws: HwnasError.self) {
            _ = try WorkerTeam(size: 2) { _ in throw HwnasError("cannot pin") }
        }
        #expect(throws: HwnasError.self) { _ = try WorkerTeam(size: 0) }
    }

    /// The fixed split covers 0 ..< count in order, pieces differing by at most one.
    @Test func rangesSplitEvenly() {
        for parts in 1...4 {
            for count in 0...11 {
                let pieces = (0..<parts).map { WorkerTeam.range($0, of: parts, count: count) }
                #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == count)
                for (a, b) in zip(pieces, pieces.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
                let lengths = pieces.map(\.count)
                #expect(lengths.max()! - lengths.min()! <= 1)
            }
        }
    }
}
