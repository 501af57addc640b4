import SimCore

/// The RPCs a process is waiting for: an id for each, what to do with the answer, and a timer
/// that ends the wait (any message can be lost, so every call has a deadline).
struct PendingCalls<Pending> {
    private var next = 1
    private var calls: [Int: (pending: Pending, timer: TimerHandle)] = [:]

    /// Registers a call; returns its id (the timer fires `.rpcTimeout(id)`).
    mutating func start(_ pending: Pending, timeout: SimDuration, _ context: ProcessContext<ClusterMessage>) -> Int {
        let id = next
        next += 1
        calls[id] = (pending, context.setTimer(after: timeout, .timer(.rpcTimeout(id: id))))
        return id
    }

    /// The call answered by reply `id`, if still waited for (its timer is cancelled).
    mutating func finish(_ id: Int, _ context: ProcessContext<ClusterMessage>) -> Pending? {
        guard let call = calls.removeValue(forKey: id) else { return nil }
        context.cancelTimer(call.timer)
        return call.pending
    }

    /// What call `id` waits for, without ending the wait.
    func peek(_ id: Int) -> Pending? { calls[id]?.pending }

    /// The call whose timer fired, if still waited for.
    mutating func expire(_ id: Int) -> Pending? {
        calls.removeValue(forKey: id)?.pending
    }

    var isEmpty: Bool { calls.isEmpty }
    var count: Int { calls.count }

    /// Every pending call, in id order.
    var all: [(id: Int, pending: Pending)] {
        calls.keys.sorted().map { ($0, calls[$0]!.pending) }
    }

    /// Forgets every call (their timers are left to fire into nothing).
    mutating func removeAll() { calls.removeAll() }
}
