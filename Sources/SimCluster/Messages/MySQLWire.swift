import SimCore

/// What a tablet (or VTOrc, through its tablet) can ask of its MySQL node besides queries.
public enum MySQLAdminCommand: Sendable, Equatable {
    case status
    /// `read_only` on, or off (with `super_read_only`); going read-write names the primary term
    /// that starts.
    case setReadOnly(Bool, term: SimTime?)
    /// `super_read_only` on (a demotion: not even privileged sessions write) or off (a promotion
    /// replaying prepared transactions while the node is still read-only).
    case setSuperReadOnly(Bool)
    /// Semi-sync as primary (wait for acks) and as replica (send acks).
    case setSemiSync(primary: Bool, replica: Bool)
    /// Replicate from the MySQL node called `source` (CHANGE MASTER TO ...; START SLAVE).
    case startReplication(source: String)
    case stopReplication
    /// Forget the replication source (RESET REPLICA ALL), as a promoted node does.
    case resetReplication
    /// Wait until every transaction of the set is applied, at most `timeout`.
    case waitForPosition(GTIDSet, timeout: SimDuration)
}

/// A MySQL node's replication and role status.
public struct MySQLStatus: Sendable, Equatable {
    public var serverID: UInt32
    /// Transactions in the binlog (`gtid_executed`; on a semi-sync primary it includes commits
    /// still waiting for an ack).
    public var executed: GTIDSet
    /// Transactions received from the source, applied or not.
    public var retrieved: GTIDSet
    public var readOnly: Bool
    public var semiSyncPrimary: Bool
    /// The node acknowledges what it receives (semi-sync replica).
    public var semiSyncReplica: Bool
    public var replicationSource: String?
    public var replicationRunning: Bool
    /// The replica heard from its source recently (its IO thread is connected).
    public var sourceConnected: Bool
    public var replicationError: String?
    /// Received transactions not yet applied.
    public var relayPending: Int
    /// How far the applied data is behind the source's last commit.
    public var lag: SimDuration
    /// Commits waiting for a semi-sync ack.
    public var awaitingAck: Int
    /// When the node process started (it changes on every restart, so clients can tell that
    /// their connections died with the previous one).
    public var startedAt: SimTime = .zero

    /// Everything the node has or has received (Vitess's "combined" position for ERS).
    public var combined: GTIDSet { executed.union(retrieved) }
}

public enum MySQLAdminReply: Sendable, Equatable {
    case status(MySQLStatus)
    case done
    case failed(String)
}
