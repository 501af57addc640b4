import SimCore
import SQLSyntax

/// Every message the processes of a simulated cluster exchange, and their timers.
///
/// Cases with big payloads are `indirect`: a message is copied several times on its way (the
/// event queue, the trace ring, the receiver), and a boxed payload keeps the enum at 42 bytes
/// instead of 145.
public enum ClusterMessage: SimMessage {
    // Client (tablet, test client) ↔ MySQL node.
    /// A statement on connection `connection`. `opening` says the connection is new; a statement
    /// on a connection the node does not know (it restarted since) fails with 2006.
    case mysqlQuery(connection: Int, request: Int, sql: String, bindings: [SQLValue], opening: Bool, privileged: Bool)
    case mysqlClose(connection: Int)
    indirect case mysqlResult(connection: Int, request: Int, result: Result<QueryResult, MySQLError>)
    case mysqlAdmin(request: Int, command: MySQLAdminCommand)
    indirect case mysqlAdminReply(request: Int, reply: MySQLAdminReply)

    // Replication between MySQL nodes.
    /// A replica asks its source for every transaction it lacks (COM_BINLOG_DUMP_GTID).
    case binlogDump(stream: Int, have: GTIDSet, semiSync: Bool)
    case binlogEvents(stream: Int, entries: [BinlogEntry])
    /// A semi-sync replica received everything up to `gtid`.
    case binlogAck(stream: Int, gtid: GTID)
    /// The source refuses a dump (MySQL's error 1236), e.g. to a replica that has transactions
    /// the source lacks.
    case binlogError(stream: Int, message: String)

    // Topology service.
    indirect case topoRequest(id: Int, request: TopoRequest)
    indirect case topoReply(id: Int, reply: TopoReply)
    indirect case topoWatchEvent(key: String, value: TopoValue?, version: Int)

    // Tablet services.
    indirect case tabletRequest(id: Int, request: TabletRequest)
    indirect case tabletReply(id: Int, reply: TabletReply)
    case managerRequest(id: Int, request: ManagerRequest)
    indirect case managerReply(id: Int, reply: ManagerReply)
    case healthSubscribe
    indirect case health(HealthReport)

    // Client ↔ VTGate.
    /// A statement on one of the client's connections (each connection is its own session).
    case gatewayQuery(id: Int, sql: String, connection: Int)
    /// The client closes a connection: the gateway rolls back its open transaction.
    case gatewayClose(connection: Int)
    indirect case gatewayResult(id: Int, result: Result<QueryResult, MySQLError>)

    // Orchestration requests (from scenarios and operators).
    indirect case reparentRequest(id: Int, request: ReparentRequest)
    indirect case reparentReply(id: Int, result: Result<String, ReparentError>)

    case timer(ClusterTimer)

    public var traceName: String {
        switch self {
        case .mysqlQuery: "mysql_query"
        case .mysqlClose: "mysql_close"
        case .mysqlResult: "mysql_result"
        case .mysqlAdmin: "mysql_admin"
        case .mysqlAdminReply: "mysql_admin_reply"
        case .binlogDump: "binlog_dump"
        case .binlogEvents: "binlog_events"
        case .binlogAck: "binlog_ack"
        case .binlogError: "binlog_error"
        case .topoRequest: "topo_request"
        case .topoReply: "topo_reply"
        case .topoWatchEvent: "topo_watch"
        case .tabletRequest: "tablet_request"
        case .tabletReply: "tablet_reply"
        case .managerRequest: "manager_request"
        case .managerReply: "manager_reply"
        case .healthSubscribe: "health_subscribe"
        case .health: "health"
        case .gatewayQuery: "gateway_query"
        case .gatewayResult: "gateway_result"
        case .gatewayClose: "gateway_close"
        case .reparentRequest: "reparent_request"
        case .reparentReply: "reparent_reply"
        case .timer(let t): t.name
        }
    }

    public func traceFields(into fields: inout TraceFields) {
        switch self {
        case .mysqlQuery(let connection, let request, let sql, _, _, _):
            fields.add("conn", connection); fields.add("req", request); fields.add("sql", sql)
        case .mysqlClose(let connection):
            fields.add("conn", connection)
        case .mysqlResult(let connection, let request, let result):
            fields.add("conn", connection); fields.add("req", request)
            describe(result, into: &fields)
        case .mysqlAdmin(let request, let command):
            fields.add("req", request); fields.add("command", "\(command)")
        case .mysqlAdminReply(let request, let reply):
            fields.add("req", request); fields.add("reply", "\(reply)")
        case .binlogDump(let stream, let have, let semiSync):
            fields.add("stream", stream); fields.add("have", have.description); fields.add("semi_sync", semiSync)
        case .binlogEvents(let stream, let entries):
            fields.add("stream", stream); fields.add("gtids", .list(entries.map { .string($0.gtid.description) }))
        case .binlogAck(let stream, let gtid):
            fields.add("stream", stream); fields.add("gtid", gtid.description)
        case .binlogError(let stream, let message):
            fields.add("stream", stream); fields.add("error", message)
        case .topoRequest(let id, let request):
            fields.add("id", id); fields.add("request", "\(request)")
        case .topoReply(let id, let reply):
            fields.add("id", id); fields.add("reply", "\(reply)")
        case .topoWatchEvent(let key, let value, let version):
            fields.add("key", key); fields.add("version", version); fields.add("value", value.map { "\($0)" } ?? "deleted")
        case .tabletRequest(let id, let request):
            fields.add("id", id); fields.add("request", "\(request)")
        case .tabletReply(let id, let reply):
            fields.add("id", id); fields.add("reply", "\(reply)")
        case .managerRequest(let id, let request):
            fields.add("id", id); fields.add("request", "\(request)")
        case .managerReply(let id, let reply):
            fields.add("id", id); fields.add("reply", "\(reply)")
        case .healthSubscribe:
            break
        case .health(let report):
            fields.add("report", "\(report)")
        case .gatewayQuery(let id, let sql, let connection):
            fields.add("id", id); fields.add("sql", sql)
            if connection != 0 { fields.add("connection", connection) }
        case .gatewayClose(let connection):
            fields.add("connection", connection)
        case .gatewayResult(let id, let result):
            fields.add("id", id)
            describe(result, into: &fields)
        case .reparentRequest(let id, let request):
            fields.add("id", id); fields.add("request", "\(request)")
        case .reparentReply(let id, let result):
            fields.add("id", id); fields.add("result", "\(result)")
        case .timer(let t):
            fields.add("detail", "\(t)")
        }
    }

    func describe(_ result: Result<QueryResult, MySQLError>, into fields: inout TraceFields) {
        switch result {
        case .success(let r):
            fields.add("rows", r.rows.count)
            fields.add("affected", r.rowsAffected)
            if let gtid = r.gtid { fields.add("gtid", gtid.description) }
        case .failure(let e):
            fields.add("error", e.code)
        }
    }
}
