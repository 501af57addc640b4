/// What a process keeps across crashes (for a database node: its data files).
public protocol DurableState: AnyObject {
    /// The owning process crashed. A storage fault asks to lose the last `losingUnsynced` writes
    /// that were not yet synced; state without such a notion ignores it.
    func processCrashed(losingUnsynced: Int)
}

extension DurableState {
    public func processCrashed(losingUnsynced: Int) {}
}

/// Durable state of a process that keeps nothing.
public final class NoDurableState: DurableState {
    public init() {}
}
