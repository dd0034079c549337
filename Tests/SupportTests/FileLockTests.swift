import Foundation
import Support
import Testing

/// The advisory lock behind hwnas's device, results and PU locks (issue 11, item 6).
@Suite struct FileLockTests {
    @Test func item06_aHeldLockRefusesASecondTakerAndNamesItsHolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-filelock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("sub/.hwnas.lock")
        let first = try #require(try FileLock.tryAcquire(url))
        // flock locks belong to open file descriptions: a second one refuses even in this process.
        #expect(try FileLock.tryAcquire(url) == nil)
        let holder = FileLock.holder(of: url)
        #expect(holder.pid == getpid())
        #expect(holder.command?.isEmpty == false)
        #expect(holder.description.hasPrefix("pid \(getpid()): "))
        first.release()
        let again = try #require(try FileLock.tryAcquire(url))
        again.release()
        // The file stays: removing it would let two processes lock two files of one name.
        #expect(FileManager.default.fileExists(atPath: url.path))
    }

    @Test func anUnknownHolderIsSaidSo() {
        let holder = FileLock.holder(of: URL(fileURLWithPath: "/nonexistent/lock"))
        #expect(holder.pid == nil && holder.description == "a process that has not said which")
    }
}
