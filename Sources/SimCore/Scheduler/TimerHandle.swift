/// Identifies a pending timer so that it can be cancelled.
public struct TimerHandle: Hashable, Sendable {
    /// The timer's sequence number and slot, as packed in its queue key.
    @usableFromInline let tag: UInt64
    @usableFromInline init(tag: UInt64) { self.tag = tag }
}
