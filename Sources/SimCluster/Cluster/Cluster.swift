import SimCore
import SQLSyntax

/// A simulated Vitess cluster built from a `ClusterSpec`: the topology service, every tablet with
/// its MySQL node, the gateways and VTOrc, all processes of one simulation. Exposes what
/// checkers need: each node's storage, the topology's records, the observer.
public final class Cluster {
    /// One tablet of a shard.
    public struct Tablet: Sendable {
        public let alias: String
        public let cell: String
        public let uid: UInt32
        public let initialType: TabletType
        public let tablet: ProcessID
        public let mysqld: ProcessID
    }

    /// One shard and its tablets (the initial primary first).
    public struct Shard: Sendable {
        public let keyspace: String
        public let name: String
        public let range: KeyRange
        public let durability: DurabilityPolicy
        public let tablets: [Tablet]
        public var key: String { "\(keyspace)/\(name)" }
    }

    public let spec: ClusterSpec
    public let simulation: Simulation<ClusterMessage>
    public let observer = ClusterObserver()
    /// The 2PC fault points armed in this run (shared by every gateway).
    public let faultPoints = TwoPCFaultInjector()
    public let topoStore = TopoStore()
    public private(set) var shards: [Shard] = []
    public private(set) var topo = ProcessID.none
    public private(set) var orchestrator: ProcessID?
    /// The VTGates (`gate-1`, ...).
    public private(set) var gateways: [ProcessID] = []
    private var storages: [String: MySQLStorage] = [:]
    var operatorState: (id: ProcessID, log: OperatorLog)?

    /// Builds the cluster; every MySQL node of a keyspace starts with its schema.
    public init(spec: ClusterSpec, seed: UInt64, eventBudget: Int = 50_000_000, traceRingCapacity: Int = 512) throws {
        self.spec = spec
        simulation = Simulation(seed: seed, configuration: .init(network: spec.network, eventBudget: eventBudget,
                                                                 traceRingCapacity: traceRingCapacity))
        let store = topoStore
        topo = simulation.addProcess(named: "topo", durable: store) { TopoServer(store: $0) }
        let layout = ClusterLayout(spec)
        // Every node meets the same statement shapes; their templates are worked out once.
        let shapes = StatementShapes()
        for keyspace in spec.keyspaces {
            // Every node of the keyspace starts from its first node's set-up, as if restored
            // from one backup.
            var backup: MySQLStorage?
            store.put(TopoPath.keyspace(keyspace.name),
                      .keyspace(KeyspaceRecord(name: keyspace.name, sharded: keyspace.sharded, durability: keyspace.durability)))
            if let vschema = keyspace.vschema { store.put(TopoPath.vschema(keyspace.name), .vschema(vschema)) }
            for shardName in keyspace.shards {
                guard let range = KeyRange(shardName: shardName) else {
                    throw MySQLError.unknown("'\(shardName)' is not a valid shard name")
                }
                var tablets: [Tablet] = []
                for slot in layout.tablets where slot.keyspace == keyspace.name && slot.shard == shardName {
                    let storage = try MySQLStorage(serverID: slot.uid)
                    storage.shapes = shapes
                    if let backup {
                        try storage.restore(from: backup)
                    } else {
                        // The sidecar tables of atomic distributed commit, then the keyspace's own.
                        try storage.bootstrap(TwoPCSidecar.schema)
                        if !keyspace.schema.isEmpty { try storage.bootstrap(keyspace.schema) }
                        backup = storage
                    }
                    tablets.append(try addTablet(alias: slot.alias, cell: slot.cell, uid: slot.uid, type: slot.type,
                                                 keyspace: keyspace, shard: shardName, storage: storage))
                }
                let primary = tablets[0].alias
                for tablet in tablets.dropFirst() {
                    storages[tablet.alias]?.replicationSource = TabletConfiguration.mysqldName(primary)
                }
                store.put(TopoPath.shard(keyspace.name, shardName),
                          .shard(ShardRecord(keyspace: keyspace.name, name: shardName, primary: primary, primaryTermStart: .zero)))
                shards.append(Shard(keyspace: keyspace.name, name: shardName, range: range, durability: keyspace.durability, tablets: tablets))
            }
        }
        if spec.gateways > 0 {
            let (vschema, columns) = try Self.gatewayVSchema(spec)
            var names: [String: [String]] = [:]
            for keyspace in spec.keyspaces { names[keyspace.name] = keyspace.shards }
            let timeout = spec.gatewayCallTimeout
            let lagLimit = spec.gatewayReplicaLagLimit
            let observer = self.observer
            let faults = faultPoints
            let mutants = spec.mutants
            let abandonAge = spec.tablet.twoPCAbandonAge
            let bufferConfiguration = spec.gatewayBuffer
            for name in layout.gateways {
                gateways.append(simulation.addProcess(named: name) {
                    do {
                        let gateway = try VTGate(vschema: vschema, schema: columns, shards: names, callTimeout: timeout, lagLimit: lagLimit, observer: observer)
                        gateway.executor.transactions = TransactionEnvironment(gateway: name, observer: observer, faults: faults, mutants: mutants)
                        gateway.abandonAge = abandonAge
                        gateway.cursor.buffer = bufferConfiguration.map(FailoverBuffer.init)
                        return gateway
                    } catch {
                        preconditionFailure("the gateway's evaluator could not open SQLite: \(error)")
                    }
                })
            }
        }
        if spec.orchestrator.enabled {
            let infos = shards.map {
                Orchestrator.ShardInfo(keyspace: $0.keyspace, shard: $0.name, tablets: $0.tablets.map(\.alias), durability: $0.durability)
            }
            let configuration = spec.orchestrator
            let observer = self.observer
            orchestrator = simulation.addProcess(named: "vtorc") {
                Orchestrator(configuration: configuration, shards: infos, observer: observer)
            }
        }
    }

    private func addTablet(alias: String, cell: String, uid: UInt32, type: TabletType, keyspace: KeyspaceSpec, shard: String,
                           storage: MySQLStorage) throws -> Tablet {
        storages[alias] = storage
        let mysqlConfiguration = spec.mysql
        let observer = self.observer
        let mysqld = simulation.addProcess(named: TabletConfiguration.mysqldName(alias), durable: storage) {
            MySQLNode(storage: $0, configuration: mysqlConfiguration, shard: "\(keyspace.name)/\(shard)", observer: observer)
        }
        var configuration = TabletConfiguration(alias: alias, keyspace: keyspace.name, shard: shard,
                                                replicaType: type == .rdonly ? .rdonly : .replica, durability: keyspace.durability)
        configuration.poolSize = spec.tablet.poolSize
        configuration.transactionPoolSize = spec.tablet.transactionPoolSize
        configuration.queryTimeout = spec.tablet.queryTimeout
        configuration.transactionTimeout = spec.tablet.transactionTimeout
        configuration.checkInterval = spec.tablet.checkInterval
        configuration.twoPCAbandonAge = spec.tablet.twoPCAbandonAge
        configuration.mutants = spec.mutants
        let tablet = simulation.addProcess(named: alias) { VTTablet(configuration: configuration, observer: observer) }
        simulation.setLink(from: tablet, to: mysqld, spec.localLink)
        simulation.setLink(from: mysqld, to: tablet, spec.localLink)
        topoStore.put(TopoPath.tablet(alias), .tablet(TabletRecord(alias: alias, keyspace: keyspace.name, shard: shard, type: type,
                                                                   mysqld: TabletConfiguration.mysqldName(alias))))
        return Tablet(alias: alias, cell: cell, uid: uid, initialType: type, tablet: tablet, mysqld: mysqld)
    }

    /// The MySQL storage of the tablet `alias`.
    public func storage(of alias: String) -> MySQLStorage? { storages[alias] }

    /// The shard record's primary, as the topology holds it now.
    public func primary(of shard: Shard) -> String? {
        guard case .shard(let record)? = topoStore.value(TopoPath.shard(shard.keyspace, shard.name)) else { return nil }
        return record.primary
    }

    /// Crashes a tablet and its MySQL node at `time` (a host failure).
    public func crashHost(_ alias: String, at time: SimTime, losingUnsynced: Int = 0) {
        guard let tablet = simulation.processID(named: alias),
              let mysqld = simulation.processID(named: TabletConfiguration.mysqldName(alias)) else { return }
        simulation.schedule(.crash(mysqld, losingUnsynced: losingUnsynced), at: time)
        simulation.schedule(.crash(tablet, losingUnsynced: 0), at: time)
    }

    /// Restarts a crashed tablet and its MySQL node at `time`.
    public func restartHost(_ alias: String, at time: SimTime) {
        guard let tablet = simulation.processID(named: alias),
              let mysqld = simulation.processID(named: TabletConfiguration.mysqldName(alias)) else { return }
        simulation.schedule(.restart(mysqld), at: time)
        simulation.schedule(.restart(tablet), at: time)
    }

    /// The processes of one host: a tablet and its MySQL node.
    public func host(_ alias: String) -> [ProcessID] {
        [alias, TabletConfiguration.mysqldName(alias)].compactMap { simulation.processID(named: $0) }
    }

    public func shard(_ keyspace: String, _ name: String) -> Shard? {
        shards.first { $0.keyspace == keyspace && $0.name == name }
    }
}
