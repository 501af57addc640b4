import SimCore
import SQLSyntax

// The canonical encoding of cluster messages for the run's fingerprint, written out field by
// field. The default encoding (the trace's named fields, with nested payloads described as text)
// built strings for every event and cost a tenth of a run; this one folds the same facts in
// directly. Each case starts with its own tag, so two messages of different kinds never share an
// encoding. Rare payloads (reparents, topology writes) still fold in their descriptions: they
// are few, and their text already says everything about them. 2PC calls are not rare (a 2PC
// commit makes a dozen), so they are folded in field by field too.

extension ClusterMessage {
    public func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .mysqlQuery(let connection, let request, let sql, let bindings, let opening, let privileged):
            h.combine(1); h.combine(connection); h.combine(request); h.combine(sql)
            h.combine(UInt64(bindings.count) | (opening ? 1 << 40 : 0) | (privileged ? 1 << 41 : 0))
        case .mysqlClose(let connection):
            h.combine(2); h.combine(connection)
        case .mysqlResult(let connection, let request, let result):
            h.combine(3); h.combine(connection); h.combine(request); result.fingerprint(into: &h)
        case .mysqlAdmin(let request, let command):
            h.combine(4); h.combine(request); command.fingerprint(into: &h)
        case .mysqlAdminReply(let request, let reply):
            h.combine(5); h.combine(request)
            switch reply {
            case .status(let status): h.combine(1); status.fingerprint(into: &h)
            case .done: h.combine(2)
            case .failed(let message): h.combine(3); h.combine(message)
            }
        case .binlogDump(let stream, let have, let semiSync):
            h.combine(6); h.combine(stream); have.fingerprint(into: &h); h.combine(semiSync ? 1 : 0)
        case .binlogEvents(let stream, let entries):
            h.combine(7); h.combine(stream); h.combine(entries.count)
            for entry in entries { entry.gtid.fingerprint(into: &h) }
        case .binlogAck(let stream, let gtid):
            h.combine(8); h.combine(stream); gtid.fingerprint(into: &h)
        case .binlogError(let stream, let message):
            h.combine(9); h.combine(stream); h.combine(message)
        case .topoRequest(let id, let request):
            h.combine(10); h.combine(id)
            switch request {
            case .get(let key): h.combine(1); h.combine(key)
            case .list(let prefix): h.combine(2); h.combine(prefix)
            default: h.combine(3); h.combine(request.description)
            }
        case .topoReply(let id, let reply):
            h.combine(11); h.combine(id)
            switch reply {
            case .value(let value, let version):
                h.combine(1); h.combine(version)
                if let value { value.fingerprint(into: &h) } else { h.combine(0) }
            case .entries(let entries):
                h.combine(2); h.combine(entries.count)
                for entry in entries { h.combine(entry.key); h.combine(entry.version); entry.value.fingerprint(into: &h) }
            case .done(let version): h.combine(3); h.combine(version)
            case .failed(let error): h.combine(4); h.combine(error.rawValue)
            }
        case .topoWatchEvent(let key, let value, let version):
            h.combine(12); h.combine(key); h.combine(version)
            if let value { value.fingerprint(into: &h) } else { h.combine(0) }
        case .tabletRequest(let id, let request):
            h.combine(13); h.combine(id); request.fingerprint(into: &h)
        case .tabletReply(let id, let reply):
            h.combine(14); h.combine(id)
            switch reply {
            case .result(let result, let transactionID):
                h.combine(1); h.combine(optional: transactionID); result.fingerprint(into: &h)
            case .twoPC(let answer): h.combine(2); answer.fingerprint(into: &h)
            case .failed(let error): h.combine(3); error.fingerprint(into: &h)
            }
        case .managerRequest(let id, let request):
            h.combine(15); h.combine(id)
            if case .status = request { h.combine(1) } else { h.combine(2); h.combine(request.description) }
        case .managerReply(let id, let reply):
            h.combine(16); h.combine(id)
            switch reply {
            case .status(let status):
                h.combine(1); h.combine(status.alias); h.combine(status.type.rawValue)
                h.combine(status.serving ? 1 : 0); h.combine(status.term)
                if let mysql = status.mysql { mysql.fingerprint(into: &h) } else { h.combine(0) }
            case .done: h.combine(2)
            case .failed(let message): h.combine(3); h.combine(message)
            }
        case .healthSubscribe:
            h.combine(17)
        case .health(let report):
            h.combine(18); h.combine(report.alias); report.target.fingerprint(into: &h)
            h.combine((report.serving ? 1 : 0) | (report.unresolvedTransactions ? 2 : 0))
            h.combine(report.term); h.combine(report.lag); h.combine(optional: report.error)
        case .gatewayQuery(let id, let sql, let connection):
            h.combine(19); h.combine(id); h.combine(sql); h.combine(connection)
        case .gatewayClose(let connection):
            h.combine(20); h.combine(connection)
        case .gatewayResult(let id, let result):
            h.combine(21); h.combine(id); result.fingerprint(into: &h)
        case .reparentRequest(let id, let request):
            h.combine(22); h.combine(id); h.combine("\(request)")
        case .reparentReply(let id, let result):
            h.combine(23); h.combine(id); h.combine("\(result)")
        case .timer(let timer):
            h.combine(24); timer.fingerprint(into: &h)
        }
    }
}

extension TraceHasher {
    mutating func combine(_ time: SimTime) { combine(UInt64(bitPattern: time.nanoseconds)) }
    mutating func combine(_ duration: SimDuration) { combine(UInt64(bitPattern: duration.nanoseconds)) }
    mutating func combine(optional value: Int?) { if let value { combine(1); combine(value) } else { combine(0) } }
    mutating func combine(optional text: String?) { if let text { combine(1); combine(text) } else { combine(0) } }
    mutating func combine(_ value: Int64) { combine(UInt64(bitPattern: value)) }
}

extension GTID {
    func fingerprint(into h: inout TraceHasher) { h.combine(UInt64(server)); h.combine(sequence) }
}

extension GTIDSet {
    func fingerprint(into h: inout TraceHasher) {
        h.combine(servers.count)
        for (server, intervals) in servers {
            h.combine(UInt64(server)); h.combine(intervals.count)
            for interval in intervals { h.combine(interval.lowerBound); h.combine(interval.upperBound) }
        }
    }
}

extension Target {
    func fingerprint(into h: inout TraceHasher) { h.combine(keyspace); h.combine(shard); h.combine(type.rawValue) }
}

extension Result<QueryResult, MySQLError> {
    /// A result as the trace shows it: rows and rows affected with the GTID, or the error code.
    func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .success(let result): h.combine(1); result.fingerprint(into: &h)
        case .failure(let error): h.combine(2); h.combine(error.code)
        }
    }
}

extension QueryResult {
    func fingerprint(into h: inout TraceHasher) {
        h.combine(rows.count); h.combine(rowsAffected); h.combine(insertID); h.combine(optional: transactionID)
        if let gtid { gtid.fingerprint(into: &h) } else { h.combine(0) }
        if let twoPC { h.combine(1); twoPC.fingerprint(into: &h) } else { h.combine(0) }
    }
}

extension TabletError {
    func fingerprint(into h: inout TraceHasher) {
        h.combine(code.rawValue); h.combine(mysql?.code ?? 0); h.combine(message)
    }
}

extension TabletRequest {
    func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .execute(let target, let sql, let bindings, let transactionID):
            h.combine(1); target.fingerprint(into: &h); h.combine(sql); h.combine(bindings.count); h.combine(optional: transactionID)
        case .beginExecute(let target, let sql, let bindings):
            h.combine(2); target.fingerprint(into: &h); h.combine(sql); h.combine(bindings.count)
        case .commit(let target, let id):
            h.combine(3); target.fingerprint(into: &h); h.combine(id)
        case .rollback(let target, let id):
            h.combine(4); target.fingerprint(into: &h); h.combine(id)
        case .twoPC(let target, let request):
            h.combine(5); target.fingerprint(into: &h); request.fingerprint(into: &h)
        }
    }
}

extension TwoPCRequest {
    func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .createTransaction(let dtid, let participants):
            h.combine(1); h.combine(dtid); h.combine(participants.count)
            for p in participants { h.combine(p.keyspace); h.combine(p.shard) }
        case .prepare(let transactionID, let dtid): h.combine(2); h.combine(transactionID); h.combine(dtid)
        case .startCommit(let transactionID, let dtid): h.combine(3); h.combine(transactionID); h.combine(dtid)
        case .setRollback(let dtid, let transactionID): h.combine(4); h.combine(dtid); h.combine(transactionID)
        case .commitPrepared(let dtid): h.combine(5); h.combine(dtid)
        case .rollbackPrepared(let dtid, let original): h.combine(6); h.combine(dtid); h.combine(original)
        case .concludeTransaction(let dtid): h.combine(7); h.combine(dtid)
        case .readTransaction(let dtid): h.combine(8); h.combine(dtid)
        case .unresolvedTransactions(let abandonAge): h.combine(9); h.combine(abandonAge)
        }
    }
}

extension TwoPCAnswer {
    func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .done: h.combine(1)
        case .startCommit(let state): h.combine(2); h.combine(state.rawValue)
        case .transactions(let records):
            h.combine(3); h.combine(records.count)
            for r in records {
                h.combine(r.dtid); h.combine(r.state.rawValue); h.combine(Int(r.timeCreated)); h.combine(r.participants.count)
                for p in r.participants { h.combine(p.keyspace); h.combine(p.shard) }
            }
        }
    }
}

extension MySQLAdminCommand {
    func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .status: h.combine(1)
        case .setReadOnly(let on, let term): h.combine(2); h.combine(on ? 1 : 0); h.combine(optional: term.map { Int($0.nanoseconds) })
        case .setSuperReadOnly(let on): h.combine(3); h.combine(on ? 1 : 0)
        case .setSemiSync(let primary, let replica): h.combine(4); h.combine((primary ? 1 : 0) | (replica ? 2 : 0))
        case .startReplication(let source): h.combine(5); h.combine(source)
        case .stopReplication: h.combine(6)
        case .resetReplication: h.combine(7)
        case .waitForPosition(let position, let timeout): h.combine(8); position.fingerprint(into: &h); h.combine(timeout)
        }
    }
}

extension MySQLStatus {
    func fingerprint(into h: inout TraceHasher) {
        h.combine(UInt64(serverID)); executed.fingerprint(into: &h); retrieved.fingerprint(into: &h)
        let flags = (readOnly ? 1 : 0) | (semiSyncPrimary ? 2 : 0) | (semiSyncReplica ? 4 : 0) | (replicationRunning ? 8 : 0) | (sourceConnected ? 16 : 0)
        h.combine(flags); h.combine(optional: replicationSource); h.combine(optional: replicationError)
        h.combine(relayPending); h.combine(lag); h.combine(awaitingAck); h.combine(startedAt)
    }
}

extension TopoValue {
    func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .shard(let s):
            h.combine(1); h.combine(s.keyspace); h.combine(s.name); h.combine(optional: s.primary); h.combine(s.primaryTermStart)
        case .tablet(let t):
            h.combine(2); h.combine(t.alias); h.combine(t.keyspace); h.combine(t.shard); h.combine(t.type.rawValue); h.combine(t.mysqld)
        default:
            h.combine(3); h.combine(description)
        }
    }
}

extension ClusterTimer {
    func fingerprint(into h: inout TraceHasher) {
        switch self {
        case .lockWait(let token): h.combine(1); h.combine(token)
        case .semiSyncTimeout(let gtid): h.combine(2); gtid.fingerprint(into: &h)
        case .replicationConnect: h.combine(3)
        case .replicationHeartbeat: h.combine(4)
        case .applyRelay: h.combine(5)
        case .binlogSync: h.combine(6)
        case .rpcTimeout(let id): h.combine(7); h.combine(id)
        case .tabletCheck: h.combine(8)
        case .healthBroadcast: h.combine(9)
        case .transactionKiller: h.combine(10)
        case .unresolvedWatcher: h.combine(11)
        case .bufferWindow(let entry): h.combine(12); h.combine(entry)
        case .bufferFailoverLimit(let shard, let since): h.combine(13); h.combine(shard); h.combine(since)
        case .gatewayHealthRefresh: h.combine(14)
        case .poolTimeout(let request): h.combine(15); h.combine(request)
        case .orchestratorPoll: h.combine(16)
        case .clientTick: h.combine(17)
        case .watchRenew: h.combine(18)
        case .demotionCheck(let request): h.combine(19); h.combine(request)
        }
    }
}
