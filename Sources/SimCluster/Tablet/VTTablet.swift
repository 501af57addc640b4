import DequeModule
import SimCore
import SQLSyntax

/// A VTTablet: the query service in front of one MySQL node, its health stream, its tablet
/// manager (promote, demote, repoint) and its fencing against the shard record in the topology.
///
/// Lifecycle of its role:
///
///     start ── shard record names me ──▶ PRIMARY (node read-write, term from the record)
///     start ── another is primary ─────▶ REPLICA/RDONLY (replicating from it)
///     PRIMARY ── demotePrimary ──▶ PRIMARY, not serving writes (node read-only)
///     REPLICA ── promoteReplica ─▶ PRIMARY
///     PRIMARY ── a newer primary in the record ──▶ REPLICA, or DRAINED when it has errant GTIDs
final class VTTablet: SimProcess {
    let configuration: TabletConfiguration
    let observer: ClusterObserver?
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var type: TabletType
    /// The primary term this tablet serves, when primary.
    @exclusivity(unchecked) var term = SimTime.zero
    /// Accepts writes: primary, its node read-write, not demoting.
    @exclusivity(unchecked) var writable = false
    /// The node answered the last check.
    @exclusivity(unchecked) var mysqlHealthy = false
    @exclusivity(unchecked) var lastStatus: MySQLStatus?
    @exclusivity(unchecked) var demoting = false
    @exclusivity(unchecked) var subscribers: [ProcessID] = []
    @exclusivity(unchecked) var calls = PendingCalls<Continuation>()
    @exclusivity(unchecked) var mysqlRequest = 0

    // Query service state.
    @exclusivity(unchecked) var freeConnections: [Int] = []
    /// How many times each query or transaction connection has been lent out. A statement
    /// answered or abandoned after its connection went back to the pool and out again (a late
    /// ROLLBACK of a killed transaction) must neither close nor release it: that would end or
    /// free the session of the transaction that holds it now.
    @exclusivity(unchecked) var leases: [Int: Int] = [:]
    @exclusivity(unchecked) var freeTransactionConnections: [Int] = []
    @exclusivity(unchecked) var nextWaitNumber = 1
    /// Connections the node has seen since its last restart (others must open again).
    @exclusivity(unchecked) var openedConnections: Set<Int> = []
    @exclusivity(unchecked) var waiting: Deque<WaitingRequest> = []
    @exclusivity(unchecked) var transactions: [Int: OpenTransaction] = [:]
    @exclusivity(unchecked) var lastTransactionID: Int = 0
    /// Replication was set up since this tablet started (semi-sync flags included).
    @exclusivity(unchecked) var replicationConfigured = false
    /// A role change driven by the shard record is in progress.
    @exclusivity(unchecked) var fencing = false
    /// An emergency reparent stopped replication here: it stays stopped until the reparent
    /// repoints or promotes this tablet, or this time passes (the reparent failed).
    @exclusivity(unchecked) var replicationStoppedForReparentUntil: SimTime?
    /// Demotions waiting for open transactions to end.
    @exclusivity(unchecked) var demotionWaiters: [(id: Int, client: ProcessID, deadline: SimTime)] = []

    // Atomic distributed commit state.
    /// Connections for the tablet's own work (sidecar writes, redo replay), privileged as
    /// Vitess's dba pool: they may write while the node is read-only.
    @exclusivity(unchecked) var freeDBAConnections: [Int] = []
    @exclusivity(unchecked) var prepared: PreparedPool
    /// DTIDs whose Prepare is still writing the redo log, with the calls for them that came
    /// meanwhile (they run once it is written or has failed).
    @exclusivity(unchecked) var preparing: [String: [(ProcessContext<ClusterMessage>) -> Void]] = [:]
    /// The redo log must be replayed before the next time this tablet accepts writes (it
    /// started, or its node restarted and lost the prepared transactions).
    @exclusivity(unchecked) var redoPending = true
    /// A redo replay is running.
    @exclusivity(unchecked) var replaying = false
    /// The last unresolved-transaction count of the watcher (metadata manager side).
    @exclusivity(unchecked) var unresolvedTransactions = false

    /// What to do when an RPC answers (or times out: nil).
    enum Continuation {
        case admin((MySQLAdminReply?, ProcessContext<ClusterMessage>) -> Void)
        case topo((TopoReply?, ProcessContext<ClusterMessage>) -> Void)
        case manager((ManagerReply?, ProcessContext<ClusterMessage>) -> Void)
        case query(QueryWork)
        /// A statement of the tablet's own (nil: no answer in time).
        case internalQuery((Result<QueryResult, MySQLError>?, ProcessContext<ClusterMessage>) -> Void)
    }

    /// A statement sent to the node on behalf of a client.
    struct QueryWork {
        let client: ProcessID
        let id: Int
        let connection: Int
        let transactionID: Int?
        /// Reply to the client (false for the BEGIN sent ahead of a statement).
        let replies: Bool
        /// Release the connection to the pool afterwards (statements outside transactions).
        let releases: Bool
        /// The transaction ends with this statement (COMMIT, ROLLBACK).
        let ends: Bool
        /// The statement, kept so that a statement outside a transaction can be retried once on a
        /// fresh connection after the node restarted (Vitess's pool reconnects).
        var sql = ""
        var bindings: [SQLValue] = []
        var retried = false
        /// The lending of the connection it was sent under (see `VTTablet.leases`).
        var lease = 0
    }

    struct WaitingRequest {
        let client: ProcessID
        let id: Int
        let request: TabletRequest
        let timer: TimerHandle
        let requestNumber: Int
    }

    struct OpenTransaction {
        let connection: Int
        let started: SimTime
        /// Its statements that changed data, in order: the redo log if it is prepared.
        var statements: [String] = []
        /// Whether a statement came with bind values (the redo log holds plain SQL only).
        var hasBindings = false
        /// Rows those statements changed (for the checkers: a part that changed nothing may
        /// commit or roll back alike).
        var rowsAffected = 0
    }

    init(configuration: TabletConfiguration, observer: ClusterObserver?) {
        self.configuration = configuration
        mysqld = TabletConfiguration.mysqldName(configuration.alias)
        self.observer = observer
        type = configuration.replicaType
        prepared = PreparedPool(capacity: max(1, configuration.transactionPoolSize - 2))
    }

    /// The name of this tablet's MySQL process.
    let mysqld: String
    /// Finds it by name once.
    @exclusivity(unchecked) private var mysqldLookup = ProcessLookup()

    /// This tablet's MySQL process.
    func mysqldNode(_ context: ProcessContext<ClusterMessage>) -> ProcessID? {
        mysqldLookup.id(of: mysqld, in: context)
    }

    func start(_ context: ProcessContext<ClusterMessage>) {
        freeConnections = Array((1...configuration.poolSize).reversed())
        freeTransactionConnections = Array(((configuration.poolSize + 1)...(configuration.poolSize + configuration.transactionPoolSize)).reversed())
        freeDBAConnections = Array(dbaConnectionRange.reversed())
        // Transaction ids grow across restarts (Vitess starts them from the clock).
        lastTransactionID = Int(context.now.nanoseconds / 1_000) * 10 + 1
        context.trace(state: type.rawValue.lowercased())
        // Connections of an earlier incarnation are dead: the node must end their sessions (and
        // roll back what they left open), as a reset TCP connection would.
        if let node = mysqldNode(context) {
            for connection in 1...dbaConnectionRange.upperBound {
                context.send(.mysqlClose(connection: connection), to: node)
            }
        }
        check(context)
        context.setTimer(after: configuration.checkInterval, .timer(.tabletCheck))
        context.setTimer(after: configuration.transactionTimeout / 2, .timer(.transactionKiller))
        if let age = configuration.twoPCAbandonAge { context.setTimer(after: age / 2, .timer(.unresolvedWatcher)) }
    }

    /// The dba pool's connection numbers, after the two query pools.
    var dbaConnectionRange: ClosedRange<Int> {
        let first = configuration.poolSize + configuration.transactionPoolSize + 1
        return first...(first + configuration.dbaPoolSize - 1)
    }

    /// Timers arrive as messages to this process itself.
    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .tabletRequest(let id, let request):
            serve(request, id: id, from: sender, context)
        case .managerRequest(let id, let request):
            manage(request, id: id, from: sender, context)
        case .healthSubscribe:
            if !subscribers.contains(sender) { subscribers.append(sender) }
            context.send(.health(healthReport), to: sender)
        case .mysqlResult(_, let request, let result):
            switch calls.finish(request, context) {
            case .query(let work)?: queryFinished(work, result: result, context)
            case .internalQuery(let then)?: then(result, context)
            default: return
            }
        case .mysqlAdminReply(let request, let reply):
            if case .admin(let then)? = calls.finish(request, context) { then(reply, context) }
        case .topoReply(let id, let reply):
            if case .topo(let then)? = calls.finish(id, context) { then(reply, context) }
        case .managerReply(let id, let reply):
            if case .manager(let then)? = calls.finish(id, context) { then(reply, context) }
        case .timer(let timer):
            fired(timer, context)
        default:
            break
        }
    }

    func fired(_ timer: ClusterTimer, _ context: ProcessContext<ClusterMessage>) {
        switch timer {
        case .rpcTimeout(let id):
            switch calls.expire(id) {
            case .admin(let then)?: then(nil, context)
            case .topo(let then)?: then(nil, context)
            case .manager(let then)?: then(nil, context)
            case .query(let work)?: queryTimedOut(work, context)
            case .internalQuery(let then)?: then(nil, context)
            case nil: break
            }
        case .tabletCheck:
            check(context)
            context.setTimer(after: configuration.checkInterval, .timer(.tabletCheck))
        case .demotionCheck:
            finishDemotionIfDrained(context)
        case .unresolvedWatcher:
            watchUnresolvedTransactions(context)
            if let age = configuration.twoPCAbandonAge { context.setTimer(after: age / 2, .timer(.unresolvedWatcher)) }
        case .transactionKiller:
            killOldTransactions(context)
            context.setTimer(after: configuration.transactionTimeout / 2, .timer(.transactionKiller))
        case .poolTimeout(let number):
            if let index = waiting.firstIndex(where: { $0.requestNumber == number }) {
                let request = waiting.remove(at: index)
                context.send(.tabletReply(id: request.id, reply: .failed(TabletError(
                    .resourceExhausted, "resource pool timed out: no MySQL connection within \(configuration.poolTimeout)"))), to: request.client)
            }
        default:
            break
        }
    }

    // MARK: RPC helpers

    func admin(_ command: MySQLAdminCommand, _ context: ProcessContext<ClusterMessage>, timeout: SimDuration? = nil,
               then: @escaping (MySQLAdminReply?, ProcessContext<ClusterMessage>) -> Void) {
        guard let node = mysqldNode(context) else { return then(nil, context) }
        let id = calls.start(.admin(then), timeout: timeout ?? configuration.rpcTimeout, context)
        context.send(.mysqlAdmin(request: id, command: command), to: node)
    }

    func topo(_ request: TopoRequest, _ context: ProcessContext<ClusterMessage>,
              then: @escaping (TopoReply?, ProcessContext<ClusterMessage>) -> Void) {
        guard let topo = context.process(named: "topo") else { return then(nil, context) }
        let id = calls.start(.topo(then), timeout: configuration.rpcTimeout, context)
        context.send(.topoRequest(id: id, request: request), to: topo)
    }

    func manager(_ alias: String, _ request: ManagerRequest, _ context: ProcessContext<ClusterMessage>,
                 then: @escaping (ManagerReply?, ProcessContext<ClusterMessage>) -> Void) {
        guard let tablet = context.process(named: alias) else { return then(nil, context) }
        let id = calls.start(.manager(then), timeout: configuration.rpcTimeout, context)
        context.send(.managerRequest(id: id, request: request), to: tablet)
    }

    var target: Target { Target(keyspace: configuration.keyspace, shard: configuration.shard, type: type) }

    var healthReport: HealthReport {
        HealthReport(alias: configuration.alias, target: target, serving: serving, term: term,
                     lag: lastStatus?.lag ?? .zero, unresolvedTransactions: type == .primary && unresolvedTransactions,
                     error: mysqlHealthy ? nil : "MySQL node not reachable")
    }

    /// Serves queries of its type: a primary that can write, or a replica whose node answers.
    var serving: Bool {
        switch type {
        case .primary: writable && mysqlHealthy
        case .replica, .rdonly: mysqlHealthy && lastStatus?.replicationError == nil
        case .drained: false
        }
    }

    func broadcastHealth(_ context: ProcessContext<ClusterMessage>) {
        let report = healthReport
        for subscriber in subscribers { context.send(.health(report), to: subscriber) }
    }

    func setType(_ newType: TabletType, _ context: ProcessContext<ClusterMessage>) {
        guard newType != type else { return }
        type = newType
        context.trace(state: newType.rawValue.lowercased())
        let record = TabletRecord(alias: configuration.alias, keyspace: configuration.keyspace, shard: configuration.shard,
                                  type: newType, mysqld: mysqld)
        topo(.get(TopoPath.tablet(configuration.alias)), context) { [unowned self] reply, context in
            if case .value(_, let version)? = reply, version > 0 {
                self.topo(.update(TopoPath.tablet(self.configuration.alias), .tablet(record), expected: version), context) { _, _ in }
            }
        }
        broadcastHealth(context)
    }
}
