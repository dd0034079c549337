/// A fixed-size block of memory owned by a reference, so the optimisers' inner loops can work on
/// plain pointers (no copy-on-write checks, no exclusivity conflicts between buffers) while the
/// memory is still freed with its owner.
final class FlatBuffer<Element> {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(count: Int, repeating value: Element) {
        self.count = count
        base = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
