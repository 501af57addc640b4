import SimCore

/// What an operator's requests got back.
public final class OperatorLog: DurableState {
    public private(set) var reparents: [(request: ReparentRequest, result: Result<String, ReparentError>?)] = []
    public private(set) var statements: [(sql: String, result: Result<QueryResult, MySQLError>?)] = []
    public init() {}

    func sentReparent(_ request: ReparentRequest) -> Int {
        reparents.append((request, nil))
        return reparents.count
    }
    func reparentEnded(_ id: Int, _ result: Result<String, ReparentError>) {
        if id >= 1 && id <= reparents.count { reparents[id - 1].result = result }
    }
    func sentStatement(_ sql: String) -> Int {
        statements.append((sql, nil))
        return statements.count
    }
    func statementEnded(_ id: Int, _ result: Result<QueryResult, MySQLError>) {
        if id >= 1 && id <= statements.count { statements[id - 1].result = result }
    }
}

/// An operator (vtctld's user, or a scenario step): asks VTOrc for reparents and can run
/// statements straight on a MySQL node (as a DBA would, bypassing read-only).
final class OperatorClient: SimProcess {
    let log: OperatorLog

    init(log: OperatorLog) { self.log = log }

    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {}

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .reparentReply(let id, let result): log.reparentEnded(id, result)
        case .mysqlResult(_, let request, let result): log.statementEnded(request, result)
        default: break
        }
    }
}

extension Cluster {
    /// The operator process (created on first use) and its log.
    public var operatorLog: OperatorLog {
        if let log = operatorState?.log { return log }
        let log = OperatorLog()
        let id = simulation.addProcess(named: "operator", durable: log) { OperatorClient(log: $0) }
        operatorState = (id, log)
        return log
    }

    /// Asks VTOrc for a reparent at `time`.
    public func requestReparent(_ request: ReparentRequest, at time: SimTime) {
        let log = operatorLog
        guard let from = operatorState?.id, let vtorc = orchestrator else { return }
        simulation.schedule(at: time) { [simulation] in
            let id = log.sentReparent(request)
            simulation.send(.reparentRequest(id: id, request: request), from: from, to: vtorc)
        }
    }

    /// Runs `sql` on the MySQL node of `alias` at `time`, as a DBA (bypassing read-only).
    public func runOnNode(_ alias: String, _ sql: String, at time: SimTime) {
        let log = operatorLog
        guard let from = operatorState?.id, let node = simulation.processID(named: TabletConfiguration.mysqldName(alias)) else { return }
        simulation.schedule(at: time) { [simulation] in
            let id = log.sentStatement(sql)
            simulation.send(.mysqlQuery(connection: 1_000_000 + id, request: id, sql: sql, bindings: [], opening: true, privileged: true),
                            from: from, to: node)
        }
    }
}
