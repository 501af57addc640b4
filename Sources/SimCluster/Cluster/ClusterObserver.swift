import SimCore

/// What checkers need to see of a run beyond the trace: every client commit on a MySQL node
/// (with the primary term the node served) and every commit acknowledged to a client.
public final class ClusterObserver {
    /// A transaction a MySQL node committed for a client.
    public struct NodeCommit: Sendable, Equatable {
        public let node: String
        public let shard: String
        public let gtid: GTID
        public let term: SimTime?
        public let time: SimTime
    }

    /// A commit a client was told succeeded.
    public struct AcknowledgedCommit: Sendable, Equatable {
        public let client: String
        public let shard: String
        public let gtid: GTID
        public let time: SimTime
    }

    /// A transaction a gateway committed across shards: TWOPC (the id is the DTID, the first
    /// part the metadata manager) or MULTI (each part commits on its own).
    public struct DistributedCommit: Sendable, Equatable {
        public enum Mode: String, Sendable { case multi = "MULTI", twoPC = "TWOPC" }
        /// One shard of it, and what the gateway saw of its commit (MULTI).
        public struct Part: Sendable, Equatable {
            public let shard: String
            /// A statement of the transaction changed data on the shard.
            public let wrote: Bool
            public var outcome: PartOutcome = .pending
        }
        public enum PartOutcome: Sendable, Equatable {
            case pending
            case committed(GTID?)
            /// Certainly not committed: rolled back, or its commit failed with an answer.
            case rolledBack
            /// No answer: it may or may not have committed.
            case unknown
        }
        public let id: String
        public let mode: Mode
        public let gateway: String
        public var parts: [Part]
        /// What the client was told: nil until it was told anything.
        public var acknowledged: Bool?
    }

    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) public private(set) var distributedCommits: [DistributedCommit] = []
    /// Rows each prepared part changed, by `dtid|keyspace/shard` (looked up, never iterated).
    @exclusivity(unchecked) public private(set) var preparedRows: [String: Int] = [:]
    @exclusivity(unchecked) public private(set) var nodeCommits: [NodeCommit] = []
    @exclusivity(unchecked) public private(set) var acknowledged: [AcknowledgedCommit] = []
    /// How often each mechanism ran (coverage marks).
    @exclusivity(unchecked) public private(set) var marks: [ClusterMark: Int] = [:]

    public init() {}

    func nodeCommitted(node: String, shard: String, gtid: GTID, term: SimTime?, time: SimTime) {
        nodeCommits.append(NodeCommit(node: node, shard: shard, gtid: gtid, term: term, time: time))
    }

    public func acknowledgedCommit(client: String, shard: String, gtid: GTID, time: SimTime) {
        acknowledged.append(AcknowledgedCommit(client: client, shard: shard, gtid: gtid, time: time))
    }

    /// A gateway starts committing a transaction across shards; returns its index for updates.
    public func distributedCommitStarted(_ commit: DistributedCommit) -> Int {
        distributedCommits.append(commit)
        return distributedCommits.count - 1
    }

    func prepared(dtid: String, shard: String, rowsAffected: Int) {
        preparedRows["\(dtid)|\(shard)"] = rowsAffected
    }

    public func distributedCommit(_ index: Int, part: Int, outcome: DistributedCommit.PartOutcome) {
        distributedCommits[index].parts[part].outcome = outcome
    }

    public func distributedCommit(_ index: Int, acknowledged: Bool) {
        distributedCommits[index].acknowledged = acknowledged
    }

    /// Records that a mechanism ran (a coverage mark).
    public func mark(_ mark: ClusterMark) { marks[mark, default: 0] += 1 }

    public func count(_ mark: ClusterMark) -> Int { marks[mark] ?? 0 }
}
