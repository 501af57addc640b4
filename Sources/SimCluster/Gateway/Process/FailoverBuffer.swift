import SimCore

/// How a gateway buffers primary requests during a failover (Vitess's `--enable_buffer`,
/// `--buffer_window`, `--buffer_size`, `--buffer_max_failover_duration`,
/// `--buffer_min_time_between_failovers`, with their defaults).
public struct FailoverBufferConfiguration: Sendable, Equatable {
    /// How long one request may wait.
    public var window: SimDuration = .seconds(10)
    /// How many requests may wait at once, over all shards.
    public var size = 1000
    /// A failover that lasts longer stops being buffered.
    public var maxFailoverDuration: SimDuration = .seconds(20)
    /// A failover this soon after the last buffered one is not buffered.
    public var minTimeBetweenFailovers: SimDuration = .seconds(60)

    public init() {}
}

/// The gateway's buffer for primary traffic during failovers (Vitess's `vtgate/buffer`): a
/// request outside a transaction that fails because the shard's primary stopped serving waits
/// until a primary serves again (seen in the health stream), then goes once more. Each shard:
///
///     IDLE ── a failover error, not too soon after the last failover ──▶ BUFFERING
///     BUFFERING ── a primary serves ──▶ IDLE, its queue retried in arrival order
///     BUFFERING ── the failover outlasts the maximum duration ──▶ IDLE, its queue retried
///
/// A request waits at most the window (then it is retried as is); when the buffer is full the
/// oldest request of the shard is evicted and fails. A request is buffered once at most.
final class FailoverBuffer {
    struct Entry: Equatable {
        let id: Int
        let batch: Int
        let index: Int
        let deadline: SimTime
    }

    enum State: Equatable {
        case idle
        /// Since when, and the primary whose failure started it.
        case buffering(since: SimTime, failedPrimary: String?)
    }

    struct Shard {
        var state = State.idle
        var queue: [Entry] = []
        var lastEnd: SimTime?
    }

    /// What becomes of a failed request.
    enum Decision: Equatable {
        /// Not buffered: its error goes to the client.
        case pass
        /// Buffered; `evicted` (if any) made room and fails.
        case buffered(Entry, evicted: Entry?)
    }

    let configuration: FailoverBufferConfiguration
    private(set) var shards: [String: Shard] = [:]
    private var nextID = 1
    private var total: Int { shards.values.reduce(0) { $0 + $1.queue.count } }

    init(configuration: FailoverBufferConfiguration) {
        self.configuration = configuration
    }

    func state(of key: String) -> State { shards[key]?.state ?? .idle }

    /// A primary request of `key` failed because of a failover (`failedPrimary` answered so).
    /// `started` tells whether this request started buffering for the shard.
    func buffer(_ key: String, batch: Int, index: Int, failedPrimary: String?, now: SimTime) -> (Decision, started: Bool) {
        var shard = shards[key] ?? Shard()
        var started = false
        if shard.state == .idle {
            if let end = shard.lastEnd, now - end < configuration.minTimeBetweenFailovers { return (.pass, false) }
            shard.state = .buffering(since: now, failedPrimary: failedPrimary)
            started = true
        }
        var evicted: Entry?
        if total >= configuration.size {
            // Full: the shard's oldest request makes room, or this one is not buffered.
            guard !shard.queue.isEmpty else {
                shards[key] = shard
                return (.pass, started)
            }
            evicted = shard.queue.removeFirst()
        }
        let entry = Entry(id: nextID, batch: batch, index: index, deadline: now + configuration.window)
        nextID += 1
        shard.queue.append(entry)
        shards[key] = shard
        return (.buffered(entry, evicted: evicted), started)
    }

    /// A primary of `key` serves: the failover is over (a new primary, or the old one writable
    /// again; a tablet's reports arrive in order, so this one is newer than its failure).
    /// Returns the requests to retry, in arrival order.
    func primaryServing(_ key: String, now: SimTime) -> [Entry] {
        guard case .buffering? = shards[key]?.state else { return [] }
        return stop(key, now: now)
    }

    /// The failover of `key` started at `since` has lasted too long.
    func failoverLimitReached(_ key: String, since: SimTime, now: SimTime) -> [Entry] {
        guard case .buffering(let start, _)? = shards[key]?.state, start == since else { return [] }
        return stop(key, now: now)
    }

    /// The request `id` reached the end of its window: it leaves the buffer (to be retried).
    func expire(_ id: Int) -> Entry? {
        for key in shards.keys.sorted() {
            if let i = shards[key]!.queue.firstIndex(where: { $0.id == id }) { return shards[key]!.queue.remove(at: i) }
        }
        return nil
    }

    private func stop(_ key: String, now: SimTime) -> [Entry] {
        let queue = shards[key]?.queue ?? []
        shards[key]?.queue = []
        shards[key]?.state = .idle
        shards[key]?.lastEnd = now
        return queue
    }

    /// Whether a tablet's error means its shard is failing over (Vitess's `CausedByFailover`):
    /// the primary stopped serving, is being demoted, is no longer primary, or is read-only.
    static func causedByFailover(_ error: TabletError) -> Bool {
        if error.mysql?.code == 1290 { return true }
        switch error.code {
        case .unavailable: return error.message.contains("NOT_SERVING")
        case .failedPrecondition: return error.message.contains("being demoted") || error.message.contains("wrong tablet type")
        default: return false
        }
    }
}
