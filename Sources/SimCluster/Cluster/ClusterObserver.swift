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

    public private(set) var nodeCommits: [NodeCommit] = []
    public private(set) var acknowledged: [AcknowledgedCommit] = []
    /// How often each mechanism ran (coverage marks).
    public private(set) var marks: [ClusterMark: Int] = [:]

    public init() {}

    func nodeCommitted(node: String, shard: String, gtid: GTID, term: SimTime?, time: SimTime) {
        nodeCommits.append(NodeCommit(node: node, shard: shard, gtid: gtid, term: term, time: time))
    }

    public func acknowledgedCommit(client: String, shard: String, gtid: GTID, time: SimTime) {
        acknowledged.append(AcknowledgedCommit(client: client, shard: shard, gtid: gtid, time: time))
    }

    /// Records that a mechanism ran (a coverage mark).
    public func mark(_ mark: ClusterMark) { marks[mark, default: 0] += 1 }

    public func count(_ mark: ClusterMark) -> Int { marks[mark] ?? 0 }
}
