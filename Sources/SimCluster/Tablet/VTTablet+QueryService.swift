import SimCore
import SQLSyntax

extension VTTablet {
    /// Serves a query-service request: checks the target and the tablet's state, then runs it on
    /// a pooled connection or in its transaction.
    func serve(_ request: TabletRequest, id: Int, from client: ProcessID, _ context: ProcessContext<ClusterMessage>,
               queued: Bool = false) {
        func fail(_ error: TabletError) { context.send(.tabletReply(id: id, reply: .failed(error)), to: client) }
        let wanted = request.target
        guard wanted.keyspace == configuration.keyspace && wanted.shard == configuration.shard else {
            return fail(TabletError(.failedPrecondition, "this tablet serves \(target), not \(wanted)"))
        }
        guard wanted.type == type else {
            return fail(TabletError(.failedPrecondition, "wrong tablet type: \(configuration.alias) is \(type.rawValue), the query wants \(wanted.type.rawValue)"))
        }
        switch request {
        case .commit(_, let transactionID), .rollback(_, let transactionID):
            let isCommit: Bool = if case .commit = request { true } else { false }
            guard let transaction = transactions[transactionID] else {
                if isCommit { return fail(TabletError(.aborted, "transaction \(transactionID): not found (it ended or was killed)")) }
                context.send(.tabletReply(id: id, reply: .result(.ok, transactionID: nil)), to: client)
                return
            }
            send(isCommit ? "COMMIT" : "ROLLBACK", bindings: [], connection: transaction.connection,
                 work: QueryWork(client: client, id: id, connection: transaction.connection, transactionID: transactionID,
                                 replies: true, releases: true, ends: true), context)
            return
        case .execute(_, let sql, let bindings, let transactionID?):
            guard let transaction = transactions[transactionID] else {
                return fail(TabletError(.aborted, "transaction \(transactionID): not found (it ended or was killed)"))
            }
            send(sql, bindings: bindings, connection: transaction.connection,
                 work: QueryWork(client: client, id: id, connection: transaction.connection, transactionID: transactionID,
                                 replies: true, releases: false, ends: false), context)
            return
        default:
            break
        }
        // New work: needs a serving tablet and a free connection.
        guard serving else { return fail(TabletError(.unavailable, "operation not allowed in state NOT_SERVING (\(configuration.alias) is \(type.rawValue)\(mysqlHealthy ? "" : ", MySQL down"))")) }
        guard !demoting else { return fail(TabletError(.failedPrecondition, "\(configuration.alias) is being demoted")) }
        if case .twoPC(_, let call) = request { return serveTwoPC(call, id: id, from: client, context) }
        let isTransaction: Bool = if case .beginExecute = request { true } else { false }
        guard let connection = isTransaction ? freeTransactionConnections.popLast() : freeConnections.popLast() else {
            // No free connection: wait for one, for at most the pool timeout.
            let number = nextWaitNumber
            nextWaitNumber += 1
            let timer = context.setTimer(after: configuration.poolTimeout, .timer(.poolTimeout(request: number)))
            waiting.append(WaitingRequest(client: client, id: id, request: request, timer: timer, requestNumber: number))
            return
        }
        leases[connection, default: 0] += 1
        switch request {
        case .execute(_, let sql, let bindings, nil):
            send(sql, bindings: bindings, connection: connection,
                 work: QueryWork(client: client, id: id, connection: connection, transactionID: nil, replies: true, releases: true, ends: false), context)
        case .beginExecute(_, let sql, let bindings):
            lastTransactionID += 1
            let transactionID = lastTransactionID
            transactions[transactionID] = OpenTransaction(connection: connection, started: context.now)
            send("BEGIN", bindings: [], connection: connection,
                 work: QueryWork(client: client, id: id, connection: connection, transactionID: transactionID, replies: false, releases: false, ends: false), context)
            send(sql, bindings: bindings, connection: connection,
                 work: QueryWork(client: client, id: id, connection: connection, transactionID: transactionID, replies: true, releases: false, ends: false), context)
        default:
            preconditionFailure("handled above")
        }
    }

    func send(_ sql: String, bindings: [SQLValue], connection: Int, work: QueryWork, _ context: ProcessContext<ClusterMessage>) {
        guard let node = mysqldNode(context) else { return }
        var work = work
        if !work.retried {
            work.sql = sql
            work.bindings = bindings
            work.lease = leases[connection] ?? 0
        }
        let request = calls.start(.query(work), timeout: configuration.queryTimeout, context)
        let opening = openedConnections.insert(connection).inserted
        context.send(.mysqlQuery(connection: connection, request: request, sql: sql, bindings: bindings, opening: opening, privileged: false), to: node)
    }

    func queryFinished(_ work: QueryWork, result: Result<QueryResult, MySQLError>, _ context: ProcessContext<ClusterMessage>) {
        guard !isStale(work) else {
            // The answer still goes to whoever asked; the connection is not this work's anymore.
            if work.replies {
                let reply: TabletReply = switch result {
                case .success(let r): .result(r, transactionID: work.ends ? nil : work.transactionID)
                case .failure(let error): .failed(TabletError(mysql: error))
                }
                context.send(.tabletReply(id: work.id, reply: reply), to: work.client)
            }
            return
        }
        var endsTransaction = work.ends
        var reply = result.map { TabletReply.result($0, transactionID: work.ends ? nil : work.transactionID) }
        if case .failure(let error) = result, error.code == 2006, work.transactionID == nil, !work.retried, work.replies {
            // The node restarted since this connection was used: reconnect and run it again.
            openedConnections.remove(work.connection)
            var retry = work
            retry.retried = true
            send(work.sql, bindings: work.bindings, connection: work.connection, work: retry, context)
            return
        }
        if case .failure(let error) = result {
            if error.code == 2006 || error.code == 2013 {
                // The node restarted: this connection is gone, and any transaction on it.
                openedConnections.remove(work.connection)
                endsTransaction = work.transactionID != nil
                mysqlHealthy = false
            }
            if error.code == 1213, work.transactionID != nil {
                // The deadlock victim's transaction is rolled back by the node.
                endsTransaction = true
            }
            reply = .success(.failed(TabletError(mysql: error)))
        }
        if endsTransaction, let transactionID = work.transactionID, transactions.removeValue(forKey: transactionID) != nil {
            if !work.ends {
                // Not ended by COMMIT/ROLLBACK: make sure the node's session is clean.
                send("ROLLBACK", bindings: [], connection: work.connection,
                     work: QueryWork(client: work.client, id: work.id, connection: work.connection, transactionID: nil,
                                     replies: false, releases: true, ends: false), context)
            } else {
                release(work.connection, transaction: true, context)
            }
        } else if work.releases {
            release(work.connection, transaction: work.transactionID != nil && work.ends, context)
        }
        if case .success(let r) = result, work.replies, !work.ends, let transactionID = work.transactionID, work.sql.isDataChange {
            // Data changes of a transaction: its redo log if it is prepared.
            transactions[transactionID]?.statements.append(work.sql)
            transactions[transactionID]?.rowsAffected += r.rowsAffected
            if !work.bindings.isEmpty { transactions[transactionID]?.hasBindings = true }
        }
        if work.replies, case .success(let message) = reply {
            context.send(.tabletReply(id: work.id, reply: message), to: work.client)
        }
        if !work.replies, case .failure(let error) = result, work.transactionID != nil, transactions[work.transactionID!] != nil,
           error.code != 1205 {
            // The BEGIN ahead of a statement failed: the statement's own reply reports it.
            _ = error
        }
    }

    /// A statement got no answer in time: its connection is in an unknown state, so it is
    /// closed (the node rolls back an open transaction; a commit may or may not have happened).
    func queryTimedOut(_ work: QueryWork, _ context: ProcessContext<ClusterMessage>) {
        abandon(work, error: TabletError(.deadlineExceeded, "query timed out after \(configuration.queryTimeout) on \(configuration.alias)"), context)
    }

    /// Ends a statement in flight on purpose (a demotion): as a timeout, its connection closes.
    func queryKilled(_ work: QueryWork, reason: String, _ context: ProcessContext<ClusterMessage>) {
        abandon(work, error: TabletError(.aborted, reason), context)
    }

    /// The node restarted: every connection to it died with the old process (TCP resets them),
    /// with the statements and admin commands running on them and the transactions open on them.
    func mysqlRestarted(_ context: ProcessContext<ClusterMessage>) {
        context.trace(state: "mysql_restarted")
        for call in calls.all {
            switch call.pending {
            case .query(let work):
                guard calls.finish(call.id, context) != nil else { continue }
                abandon(work, error: TabletError(mysql: .lostConnection), context)
            case .admin(let then):
                // An admin command in flight (a position wait of a promotion) fails now rather
                // than at its timeout.
                guard calls.finish(call.id, context) != nil else { continue }
                then(nil, context)
            case .internalQuery(let then):
                guard calls.finish(call.id, context) != nil else { continue }
                then(.failure(.lostConnection), context)
            case .topo, .manager:
                continue
            }
        }
        for id in transactions.keys.sorted() {
            guard let transaction = transactions.removeValue(forKey: id) else { continue }
            release(transaction.connection, transaction: true, context)
        }
        // Prepared transactions died with the node's process; their redo log did not.
        forgetPreparedConnections(context)
        openedConnections.removeAll()
    }

    /// The statements sent to the node and not answered yet.
    var queriesInFlight: [(id: Int, work: QueryWork)] {
        calls.all.compactMap { call in
            if case .query(let work) = call.pending { (call.id, work) } else { nil }
        }
    }

    /// Kills every statement in flight (their connections close); true if there was any.
    func killQueriesInFlight(reason: String, _ context: ProcessContext<ClusterMessage>) -> Bool {
        let inFlight = queriesInFlight
        for (id, work) in inFlight where calls.finish(id, context) != nil {
            queryKilled(work, reason: reason, context)
        }
        return !inFlight.isEmpty
    }

    /// Gives up on a statement: its connection is closed (the node rolls back an open
    /// transaction; a commit may or may not have happened) and the client gets `error`.
    func abandon(_ work: QueryWork, error: TabletError, _ context: ProcessContext<ClusterMessage>) {
        guard !isStale(work) else {
            if work.replies { context.send(.tabletReply(id: work.id, reply: .failed(error)), to: work.client) }
            return
        }
        if let node = mysqldNode(context) { context.send(.mysqlClose(connection: work.connection), to: node) }
        openedConnections.remove(work.connection)
        if let transactionID = work.transactionID { transactions[transactionID] = nil }
        if work.replies { context.send(.tabletReply(id: work.id, reply: .failed(error)), to: work.client) }
        if work.releases || work.transactionID != nil { release(work.connection, transaction: work.transactionID != nil, context) }
    }

    /// Whether the work's connection has been lent out again since it was sent.
    func isStale(_ work: QueryWork) -> Bool {
        guard work.lease != (leases[work.connection] ?? 0) else { return false }
        observer?.mark(.tabletStaleWorkIgnored)
        return true
    }

    func release(_ connection: Int, transaction: Bool, _ context: ProcessContext<ClusterMessage>) {
        if connection > configuration.poolSize {
            if !freeTransactionConnections.contains(connection) { freeTransactionConnections.append(connection) }
        } else if !freeConnections.contains(connection) {
            freeConnections.append(connection)
        }
        // A waiting request may now have a connection.
        if let index = waiting.firstIndex(where: { w in
            if case .beginExecute = w.request { return !freeTransactionConnections.isEmpty }
            return !freeConnections.isEmpty
        }) {
            let next = waiting.remove(at: index)
            context.cancelTimer(next.timer)
            serve(next.request, id: next.id, from: next.client, context, queued: true)
        }
    }

    /// Rolls back transactions open longer than the transaction timeout.
    func killOldTransactions(_ context: ProcessContext<ClusterMessage>) {
        for id in transactions.keys.sorted() {
            guard let transaction = transactions[id], context.now - transaction.started > configuration.transactionTimeout else { continue }
            transactions[id] = nil
            observer?.mark(.tabletTransactionKilled)
            send("ROLLBACK", bindings: [], connection: transaction.connection,
                 work: QueryWork(client: .none, id: 0, connection: transaction.connection, transactionID: nil,
                                 replies: false, releases: true, ends: false), context)
        }
    }

    /// Ends every open transaction (demotion, MySQL restart).
    func rollbackAll(_ context: ProcessContext<ClusterMessage>) {
        for id in transactions.keys.sorted() {
            guard let transaction = transactions.removeValue(forKey: id) else { continue }
            send("ROLLBACK", bindings: [], connection: transaction.connection,
                 work: QueryWork(client: .none, id: 0, connection: transaction.connection, transactionID: nil,
                                 replies: false, releases: true, ends: false), context)
        }
    }
}

extension TabletRequest {
    var target: Target {
        switch self {
        case .execute(let target, _, _, _), .beginExecute(let target, _, _), .commit(let target, _), .rollback(let target, _),
             .twoPC(let target, _): target
        }
    }
}
