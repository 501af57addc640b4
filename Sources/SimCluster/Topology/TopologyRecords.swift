import SimCore

/// A keyspace as the topology holds it.
public struct KeyspaceRecord: Sendable, Equatable {
    public var name: String
    public var sharded: Bool
    public var durability: DurabilityPolicy

    public init(name: String, sharded: Bool, durability: DurabilityPolicy) {
        self.name = name
        self.sharded = sharded
        self.durability = durability
    }
}

/// Vitess's durability policies (`go/vt/vtctl/reparentutil/policy/durability.go`).
public enum DurabilityPolicy: String, Sendable, CaseIterable {
    /// Asynchronous replication: acknowledged writes can be lost on failover.
    case none
    /// A commit is acknowledged after one replica (or the primary's peer) received it.
    case semiSync = "semi_sync"

    /// Semi-sync acknowledgements a primary needs per commit.
    public var semiSyncAckers: Int { self == .semiSync ? 1 : 0 }
}

/// A shard as the topology holds it: its key range and its current primary.
public struct ShardRecord: Sendable, Equatable {
    public var keyspace: String
    public var name: String
    /// The tablet alias of the primary (nil while it has none).
    public var primary: String?
    /// When the current primary's term began (a newer term always wins; Vitess's
    /// PrimaryTermStartTime).
    public var primaryTermStart: SimTime

    public init(keyspace: String, name: String, primary: String?, primaryTermStart: SimTime) {
        self.keyspace = keyspace
        self.name = name
        self.primary = primary
        self.primaryTermStart = primaryTermStart
    }
}

/// A tablet as the topology holds it.
public struct TabletRecord: Sendable, Equatable {
    public var alias: String
    public var keyspace: String
    public var shard: String
    public var type: TabletType
    /// The process name of the tablet's MySQL node.
    public var mysqld: String

    public init(alias: String, keyspace: String, shard: String, type: TabletType, mysqld: String) {
        self.alias = alias
        self.keyspace = keyspace
        self.shard = shard
        self.type = type
        self.mysqld = mysqld
    }
}

/// A value stored in the topology.
public enum TopoValue: Sendable, Equatable {
    case keyspace(KeyspaceRecord)
    case shard(ShardRecord)
    case tablet(TabletRecord)
    /// A Vitess VSchema (JSON text) of a keyspace.
    case vschema(String)
    /// A lock: who holds it, and until when (a lease: an owner that vanishes loses it).
    case lock(owner: String, until: SimTime)
    case text(String)
}

/// Where records live in the topology.
public enum TopoPath {
    public static func keyspace(_ keyspace: String) -> String { "/keyspaces/\(keyspace)" }
    public static func shard(_ keyspace: String, _ shard: String) -> String { "/keyspaces/\(keyspace)/shards/\(shard)" }
    public static func shards(_ keyspace: String) -> String { "/keyspaces/\(keyspace)/shards/" }
    public static func tablet(_ alias: String) -> String { "/tablets/\(alias)" }
    public static let tablets = "/tablets/"
    public static func vschema(_ keyspace: String) -> String { "/vschema/\(keyspace)" }
    public static func shardLock(_ keyspace: String, _ shard: String) -> String { "/locks/\(keyspace)/\(shard)" }
}
