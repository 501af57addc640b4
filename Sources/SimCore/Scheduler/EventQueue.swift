/// The kernel's priority queue: a binary min-heap of 128-bit keys.
///
/// A key is `time << 64 | sequence << 24 | slot`: ordering by the whole key is ordering by
/// (time, insertion sequence), and the low 24 bits name the side-table slot holding the event's
/// payload. Comparing one `UInt128` and choosing the smaller child arithmetically avoids the branch
/// mispredictions of a tuple comparison (reference/kernel-bench.md). A 4-ary layout and a
/// bottom-up sift were measured here too; neither beat this one.
public struct EventQueue: Sendable {
    @usableFromInline var keys: ContiguousArray<UInt128> = []

    public init() { keys.reserveCapacity(1024) }

    @inlinable public var count: Int { keys.count }
    @inlinable public var isEmpty: Bool { keys.isEmpty }
    /// The smallest key.
    @inlinable public var first: UInt128? { keys.first }

    @inlinable public mutating func push(_ key: UInt128) {
        keys.append(key)
        keys.withUnsafeMutableBufferPointer { heap in
            var i = heap.count - 1
            while i > 0 {
                let parent = (i &- 1) >> 1
                let p = heap[parent]
                if p <= key { break }
                heap[i] = p
                i = parent
            }
            heap[i] = key
        }
    }

    /// Removes the smallest key.
    @inlinable public mutating func removeFirst() {
        let last = keys.removeLast()
        if !keys.isEmpty { siftDown(last) }
    }

    /// Replaces the smallest key with `key` (cheaper than a pop then a push, and the common case:
    /// a handler that schedules exactly one event).
    @inlinable public mutating func replaceFirst(with key: UInt128) {
        siftDown(key)
    }

    /// Places `key` at the root and moves it down to restore the heap order.
    @inlinable mutating func siftDown(_ key: UInt128) {
        keys.withUnsafeMutableBufferPointer { heap in
            let n = heap.count
            var i = 0
            while true {
                let left = 2 &* i &+ 1
                if left >= n { break }
                let right = left &+ 1
                var child = left
                if right < n {
                    // Branch-free choice of the smaller child.
                    child = left &+ Int(truncatingIfNeeded: (heap[right] < heap[left]) ? 1 as UInt8 : 0)
                }
                let c = heap[child]
                if key <= c { break }
                heap[i] = c
                i = child
            }
            heap[i] = key
        }
    }

    public mutating func removeAll() { keys.removeAll(keepingCapacity: true) }

    /// Removes the keys `shouldRemove` picks and restores the heap order (Floyd's heapify, O(n)).
    /// Keys are unique, so the order in which the rest come out does not change.
    public mutating func removeAll(where shouldRemove: (UInt128) -> Bool) {
        keys.removeAll(where: shouldRemove)
        keys.withUnsafeMutableBufferPointer { heap in
            let n = heap.count
            guard n > 1 else { return }
            for start in stride(from: n / 2 - 1, through: 0, by: -1) {
                let key = heap[start]
                var i = start
                while true {
                    let left = 2 &* i &+ 1
                    if left >= n { break }
                    let right = left &+ 1
                    var child = left
                    if right < n && heap[right] < heap[left] { child = right }
                    let c = heap[child]
                    if key <= c { break }
                    heap[i] = c
                    i = child
                }
                heap[i] = key
            }
        }
    }
}
