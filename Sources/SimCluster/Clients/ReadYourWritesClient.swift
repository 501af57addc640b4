import SimCore
import SQLSyntax

/// What a read-your-writes client did: each write it made and what its session read back, from
/// the primary and then from a replica.
public final class ReadYourWritesHistory: DurableState {
    public struct Record: Sendable {
        public let id: Int64
        public let written: SimTime
        /// Whether the write was acknowledged (nil: no answer in time).
        public var acknowledged: Bool?
        /// What the primary read returned: the value, nil for no row; not set when it failed.
        public var primaryRead: Int64??
        public var replicaRead: Int64??

        public init(id: Int64, written: SimTime, acknowledged: Bool? = nil, primaryRead: Int64?? = nil, replicaRead: Int64?? = nil) {
            self.id = id
            self.written = written
            self.acknowledged = acknowledged
            self.primaryRead = primaryRead
            self.replicaRead = replicaRead
        }
    }

    public private(set) var records: [Record] = []
    var connections = 0

    public init(records: [Record] = []) { self.records = records }

    func add(_ record: Record) { records.append(record) }
    func update(_ body: (inout Record) -> Void) {
        guard let i = records.indices.last else { return }
        body(&records[i])
    }
}

/// A client session that writes a row through the primary, reads it back from the primary (it
/// must see it: read-your-writes) and then from a replica (`USE ks@replica`; it may not yet),
/// round after round:
///
///     write     INSERT (autocommit)            ok → primary read; failure/timeout → next round
///     primary   SELECT on the primary          → replica
///     replica   USE ks@replica; SELECT         → USE ks@primary → next round
final class ReadYourWritesClient: SimProcess {
    enum Step { case write, primary, toReplica, replica, toPrimary }

    let number: Int
    let gateway: String
    let keyspace: String
    let table: String
    let interval: SimDuration
    let timeout: SimDuration
    let history: ReadYourWritesHistory
    let observer: ClusterObserver?
    var calls = PendingCalls<Step>()

    init(number: Int, gateway: String, keyspace: String, table: String, interval: SimDuration, timeout: SimDuration,
         history: ReadYourWritesHistory, observer: ClusterObserver?) {
        self.number = number
        self.gateway = gateway
        self.keyspace = keyspace
        self.table = table
        self.interval = interval
        self.timeout = timeout
        self.history = history
        self.observer = observer
    }

    func start(_ context: ProcessContext<ClusterMessage>) {
        // A restarted session starts on a new connection (targeting the primary again).
        history.connections += 1
        context.setTimer(after: interval, .timer(.clientTick))
    }

    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) { receive(message, from: context.id, context) }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .timer(.clientTick):
            guard calls.isEmpty else { return }
            let id = Int64(number) * 1_000_000_000 + Int64(history.records.count + 1)
            history.add(.init(id: id, written: context.now))
            send("INSERT INTO \(table) (id, v) VALUES (\(id), '\(id)')", .write, context)
        case .timer(.rpcTimeout(let id)):
            guard calls.expire(id) != nil else { return }
            // The session's state is unknown: a new connection, a new round.
            history.connections += 1
            context.setTimer(after: interval, .timer(.clientTick))
        case .gatewayResult(let id, let result):
            guard let step = calls.finish(id, context) else { return }
            answered(step, result, context)
        default:
            break
        }
    }

    func answered(_ step: Step, _ result: Result<QueryResult, MySQLError>, _ context: ProcessContext<ClusterMessage>) {
        let id = history.records.last?.id ?? 0
        let select = "SELECT v FROM \(table) WHERE id = \(id)"
        switch step {
        case .write:
            let ok = (try? result.get()) != nil
            history.update { $0.acknowledged = ok }
            if ok { send(select, .primary, context) } else { context.setTimer(after: interval, .timer(.clientTick)) }
        case .primary:
            if case .success(let r) = result {
                let value = Self.value(r)
                history.update { $0.primaryRead = .some(value) }
                if value != nil { observer?.mark(.readOwnWrite) }
            }
            send("USE \(keyspace)@replica", .toReplica, context)
        case .toReplica:
            if case .success = result { send(select, .replica, context) } else { send("USE \(keyspace)@primary", .toPrimary, context) }
        case .replica:
            if case .success(let r) = result {
                let value = Self.value(r)
                history.update { $0.replicaRead = .some(value) }
                if value == nil { observer?.mark(.staleReplicaRead) }
            }
            send("USE \(keyspace)@primary", .toPrimary, context)
        case .toPrimary:
            if case .failure = result { history.connections += 1 }
            context.setTimer(after: interval, .timer(.clientTick))
        }
    }

    static func value(_ result: QueryResult) -> Int64? {
        guard let cell = result.rows.first?.first else { return nil }
        if case .text(let text) = cell { return Int64(text) }
        return cell.integer
    }

    func send(_ sql: String, _ step: Step, _ context: ProcessContext<ClusterMessage>) {
        guard let gate = context.process(named: gateway) else { return }
        let id = calls.start(step, timeout: timeout, context)
        context.send(.gatewayQuery(id: id, sql: sql, connection: history.connections), to: gate)
    }
}

extension Cluster {
    /// Adds a read-your-writes client called `name`.
    @discardableResult
    public func addReadYourWritesClient(named name: String, number: Int, gateway: String, keyspace: String, table: String,
                                        interval: SimDuration, timeout: SimDuration, history: ReadYourWritesHistory) -> ProcessID {
        let observer = self.observer
        return simulation.addProcess(named: name, durable: history) {
            ReadYourWritesClient(number: number, gateway: gateway, keyspace: keyspace, table: table, interval: interval, timeout: timeout,
                                 history: $0, observer: observer)
        }
    }
}
