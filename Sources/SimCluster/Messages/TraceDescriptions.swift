import SimCore
import SQLSyntax

// Written-out descriptions of the messages' payloads, for traces and the run's fingerprint.
// String interpolation of a type without one goes through reflection, which cost a third of a
// cluster run's time; these say the same in a fraction of it.

private func optional<T: CustomStringConvertible>(_ value: T?) -> String { value.map(\.description) ?? "nil" }

extension TabletRequest: CustomStringConvertible {
    public var description: String {
        switch self {
        case .execute(let target, let sql, let bindings, let transactionID):
            "execute(\(target), \(sql), bindings: \(bindings.count), tx: \(optional(transactionID)))"
        case .beginExecute(let target, let sql, let bindings): "beginExecute(\(target), \(sql), bindings: \(bindings.count))"
        case .commit(let target, let id): "commit(\(target), tx: \(id))"
        case .rollback(let target, let id): "rollback(\(target), tx: \(id))"
        case .twoPC(let target, let request): "twoPC(\(target), \(request))"
        }
    }
}

extension QueryResult: CustomStringConvertible {
    public var description: String {
        var text = "rows: \(rows.count), affected: \(rowsAffected)"
        if insertID != 0 { text += ", insert_id: \(insertID)" }
        if let gtid { text += ", gtid: \(gtid)" }
        if let transactionID { text += ", tx: \(transactionID)" }
        if let twoPC { text += ", twopc: \(twoPC)" }
        return text
    }
}

extension TabletReply: CustomStringConvertible {
    public var description: String {
        switch self {
        case .result(let result, let transactionID): "result(\(result), tx: \(optional(transactionID)))"
        case .twoPC(let answer): "twoPC(\(answer))"
        case .failed(let error): "failed(\(error))"
        }
    }
}

extension HealthReport: CustomStringConvertible {
    public var description: String {
        "health(\(alias), \(target), serving: \(serving), term: \(term), lag: \(lag), unresolved: \(unresolvedTransactions), error: \(error ?? "nil"))"
    }
}

extension MySQLStatus: CustomStringConvertible {
    public var description: String {
        "status(server: \(serverID), executed: \(executed), retrieved: \(retrieved), read_only: \(readOnly), semi_sync: \(semiSyncPrimary)/\(semiSyncReplica), "
            + "source: \(replicationSource ?? "nil"), running: \(replicationRunning), connected: \(sourceConnected), error: \(replicationError ?? "nil"), "
            + "relay: \(relayPending), lag: \(lag), awaiting: \(awaitingAck), started: \(startedAt))"
    }
}

extension MySQLAdminReply: CustomStringConvertible {
    public var description: String {
        switch self {
        case .status(let status): status.description
        case .done: "done"
        case .failed(let message): "failed(\(message))"
        }
    }
}

extension MySQLAdminCommand: CustomStringConvertible {
    public var description: String {
        switch self {
        case .status: "status"
        case .setReadOnly(let on, let term): "setReadOnly(\(on), term: \(optional(term)))"
        case .setSuperReadOnly(let on): "setSuperReadOnly(\(on))"
        case .setSemiSync(let primary, let replica): "setSemiSync(primary: \(primary), replica: \(replica))"
        case .startReplication(let source): "startReplication(\(source))"
        case .stopReplication: "stopReplication"
        case .resetReplication: "resetReplication"
        case .waitForPosition(let position, let timeout): "waitForPosition(\(position), timeout: \(timeout))"
        }
    }
}

extension TabletStatus: CustomStringConvertible {
    public var description: String {
        "tablet(\(alias), \(type.rawValue), serving: \(serving), term: \(term), mysql: \(optional(mysql)))"
    }
}

extension ManagerReply: CustomStringConvertible {
    public var description: String {
        switch self {
        case .status(let status): status.description
        case .done: "done"
        case .failed(let message): "failed(\(message))"
        }
    }
}

extension TopoValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .keyspace(let k): "keyspace(\(k.name), sharded: \(k.sharded), \(k.durability.rawValue))"
        case .shard(let s): "shard(\(s.keyspace)/\(s.name), primary: \(s.primary ?? "nil"), term: \(s.primaryTermStart))"
        case .tablet(let t): "tablet(\(t.alias), \(t.keyspace)/\(t.shard), \(t.type.rawValue), \(t.mysqld))"
        case .vschema(let json): "vschema(\(json.count) bytes)"
        case .lock(let owner, let until): "lock(\(owner), until: \(until))"
        case .text(let text): "text(\(text))"
        }
    }
}

extension TopoReply: CustomStringConvertible {
    public var description: String {
        switch self {
        case .value(let value, let version): "value(\(optional(value)), version: \(version))"
        case .entries(let entries): "entries(" + entries.map { "\($0.key)@\($0.version): \($0.value)" }.joined(separator: ", ") + ")"
        case .done(let version): "done(version: \(version))"
        case .failed(let error): "failed(\(error.rawValue))"
        }
    }
}

extension TopoRequest: CustomStringConvertible {
    public var description: String {
        switch self {
        case .get(let key): "get(\(key))"
        case .list(let prefix): "list(\(prefix))"
        case .create(let key, let value): "create(\(key), \(value))"
        case .update(let key, let value, let expected): "update(\(key), \(value), expected: \(expected))"
        case .delete(let key, let expected): "delete(\(key), expected: \(optional(expected)))"
        case .watch(let prefix, let lease): "watch(\(prefix), lease: \(lease))"
        case .lock(let key, let owner, let lease): "lock(\(key), \(owner), lease: \(lease))"
        case .unlock(let key, let owner): "unlock(\(key), \(owner))"
        }
    }
}

extension ClusterTimer: CustomStringConvertible {
    public var description: String {
        switch self {
        case .lockWait(let token): "lockWait(\(token))"
        case .semiSyncTimeout(let gtid): "semiSyncTimeout(\(gtid))"
        case .rpcTimeout(let id): "rpcTimeout(\(id))"
        case .bufferWindow(let entry): "bufferWindow(\(entry))"
        case .bufferFailoverLimit(let shard, let since): "bufferFailoverLimit(\(shard), since: \(since))"
        case .poolTimeout(let request): "poolTimeout(\(request))"
        case .demotionCheck(let request): "demotionCheck(\(request))"
        default: name
        }
    }
}

extension ManagerRequest: CustomStringConvertible {
    public var description: String {
        switch self {
        case .status: "status"
        case .demotePrimary: "demotePrimary"
        case .undoDemotePrimary: "undoDemotePrimary"
        case .promoteReplica(let term): "promoteReplica(term: \(term))"
        case .setReplicationSource(let primary): "setReplicationSource(\(primary))"
        case .stopReplicationAndGetStatus: "stopReplicationAndGetStatus"
        case .waitForPosition(let position, let timeout): "waitForPosition(\(position), timeout: \(timeout))"
        case .changeType(let type): "changeType(\(type.rawValue))"
        }
    }
}

extension TwoPCRequest: CustomStringConvertible {
    public var description: String {
        switch self {
        case .createTransaction(let dtid, let participants):
            "createTransaction(\(dtid), participants: " + participants.map(\.description).joined(separator: ", ") + ")"
        case .prepare(let id, let dtid): "prepare(tx: \(id), \(dtid))"
        case .startCommit(let id, let dtid): "startCommit(tx: \(id), \(dtid))"
        case .setRollback(let dtid, let id): "setRollback(\(dtid), tx: \(id))"
        case .commitPrepared(let dtid): "commitPrepared(\(dtid))"
        case .rollbackPrepared(let dtid, let id): "rollbackPrepared(\(dtid), tx: \(id))"
        case .concludeTransaction(let dtid): "concludeTransaction(\(dtid))"
        case .readTransaction(let dtid): "readTransaction(\(dtid))"
        case .unresolvedTransactions(let age): "unresolvedTransactions(abandonAge: \(age))"
        }
    }
}

extension TwoPCAnswer: CustomStringConvertible {
    public var description: String {
        switch self {
        case .done: "done"
        case .startCommit(let state): "startCommit(\(state.rawValue))"
        case .transactions(let list):
            "transactions(" + list.map { "\($0.dtid) \($0.state) at \($0.timeCreated): " + $0.participants.map(\.description).joined(separator: ", ") }
                .joined(separator: "; ") + ")"
        }
    }
}
