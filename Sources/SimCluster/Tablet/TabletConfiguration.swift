import SimCore

/// How a tablet is set up.
public struct TabletConfiguration: Sendable {
    public var alias: String
    public var keyspace: String
    public var shard: String
    /// The type it takes as a replica (REPLICA or RDONLY).
    public var replicaType: TabletType
    public var durability: DurabilityPolicy
    /// MySQL connections for queries outside transactions, and how many transactions may be open.
    public var poolSize = 8
    public var transactionPoolSize = 8
    /// How long a request waits for a free connection before it fails (RESOURCE_EXHAUSTED).
    public var poolTimeout: SimDuration = .seconds(1)
    /// How long a statement may run (the node may be waiting for locks or a semi-sync ack).
    public var queryTimeout: SimDuration = .seconds(30)
    /// Transactions open longer than this are rolled back (Vitess's transaction killer).
    public var transactionTimeout: SimDuration = .seconds(30)
    /// How often the tablet checks its MySQL node and the topology, and streams its health.
    public var checkInterval: SimDuration = .milliseconds(500)
    /// How long a demotion waits for open transactions before it rolls them back.
    public var demotionGrace: SimDuration = .seconds(1)
    /// Connections of the tablet's own (sidecar writes, redo replay).
    public var dbaPoolSize = 24
    /// Distributed transactions older than this are unresolved: the watcher reports them in the
    /// health stream so that a gateway's resolver finishes them (Vitess's `--twopc-abandon-age`;
    /// nil disables 2PC on the tablet).
    public var twoPCAbandonAge: SimDuration? = .seconds(1)
    /// Test-only faults in the tablet's 2PC code, to prove the checkers catch them.
    public var mutants: TwoPCMutants = []
    /// How long replication stays stopped after an emergency reparent stopped it, if nothing
    /// repoints or promotes the tablet (the reparent failed).
    public var reparentReplicationHold: SimDuration = .seconds(3)
    /// How long an RPC to the MySQL node or the topology may take.
    public var rpcTimeout: SimDuration = .seconds(1)

    public init(alias: String, keyspace: String, shard: String, replicaType: TabletType = .replica, durability: DurabilityPolicy) {
        self.alias = alias
        self.keyspace = keyspace
        self.shard = shard
        self.replicaType = replicaType
        self.durability = durability
    }

    /// The process name of a tablet's MySQL node.
    public static func mysqldName(_ alias: String) -> String { alias + "-mysqld" }
}
