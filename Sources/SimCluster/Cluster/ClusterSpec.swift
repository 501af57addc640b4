import SimCore
import SQLSyntax

/// The shape of a simulated cluster.
public struct ClusterSpec: Sendable {
    /// Availability zones; tablets are spread over them.
    public var cells: [String] = ["zone1"]
    public var keyspaces: [KeyspaceSpec]
    /// How many VTGates run (`gate-1`, `gate-2`, ...); none unless asked for.
    public var gateways = 0
    /// How long a gateway waits for a tablet's answer before it fails the query and looks the
    /// shard's primary up again.
    public var gatewayCallTimeout: SimDuration = .seconds(2)
    /// Buffering of primary requests during failovers in the gateways (off unless set, as
    /// Vitess's `--enable_buffer`).
    public var gatewayBuffer: FailoverBufferConfiguration?
    /// Replicas lagging more than this do not serve a gateway's replica reads.
    public var gatewayReplicaLagLimit: SimDuration = .seconds(30)
    /// Links between processes on different hosts (TCP connections, as every link of Vitess).
    public var network = LinkConfig(latency: .uniform(min: .microseconds(200), max: .milliseconds(2)), transport: .stream)
    /// The short link between a tablet and its own MySQL node.
    public var localLink = LinkConfig(latency: .fixed(.microseconds(50)), transport: .stream)
    public var mysql = MySQLNodeConfiguration()
    public var tablet = TabletSettings()
    public var orchestrator = OrchestratorConfiguration()
    /// Deliberate atomic-commit bugs (tests and mutant scenarios only).
    public var mutants: TwoPCMutants = []

    public init(keyspaces: [KeyspaceSpec]) { self.keyspaces = keyspaces }
}

/// A keyspace of the cluster.
public struct KeyspaceSpec: Sendable {
    public var name: String
    public var sharded: Bool
    /// Shard names (`-80`, `80-`; `0` for an unsharded keyspace).
    public var shards: [String]
    /// Tablets per shard besides the primary.
    public var replicas: Int
    public var rdonly: Int
    public var durability: DurabilityPolicy
    /// Schema and data every MySQL node of the keyspace starts with.
    public var schema: String
    /// The Vitess VSchema (JSON), if any.
    public var vschema: String?

    public init(name: String, shards: [String] = ["0"], replicas: Int = 2, rdonly: Int = 0, durability: DurabilityPolicy = .semiSync,
                schema: String = "", vschema: String? = nil) {
        self.name = name
        self.sharded = shards.count > 1 || shards.first != "0"
        self.shards = shards
        self.replicas = replicas
        self.rdonly = rdonly
        self.durability = durability
        self.schema = schema
        self.vschema = vschema
    }
}

/// Tablet settings shared by every tablet of a cluster.
public struct TabletSettings: Sendable {
    public var poolSize = 8
    public var transactionPoolSize = 8
    public var queryTimeout: SimDuration = .seconds(30)
    public var transactionTimeout: SimDuration = .seconds(30)
    public var checkInterval: SimDuration = .milliseconds(500)
    /// Distributed transactions older than this are handed to the gateways' resolvers
    /// (Vitess's `--twopc-abandon-age`); nil disables 2PC.
    public var twoPCAbandonAge: SimDuration? = .seconds(1)
    public init() {}
}

/// VTOrc's settings.
public struct OrchestratorConfiguration: Sendable {
    /// Whether VTOrc runs at all (reparents on request still need it).
    public var enabled = true
    /// Whether it recovers a dead primary on its own with ERS.
    public var automaticRecovery = true
    public var pollInterval: SimDuration = .milliseconds(500)
    /// How long a primary must stay unreachable before VTOrc acts.
    public var detectionDelay: SimDuration = .seconds(2)
    public init() {}
}

extension KeyspaceSpec {
    /// The CREATE TABLE statements of the keyspace's schema (none when it does not parse: the
    /// loader reports that).
    public var tableDefinitions: [CreateTableStatement] {
        ((try? SQLParser.parseScript(schema)) ?? []).compactMap { if case .createTable(let c) = $0 { c } else { nil } }
    }
}

extension ClusterSpec {
    /// Every keyspace's table definitions, keyspace by keyspace.
    public var tableDefinitions: [CreateTableStatement] { keyspaces.flatMap(\.tableDefinitions) }
}
