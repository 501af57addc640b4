import SimCore
import SQLSyntax

extension VTTablet {
    /// 2PC needs semi-sync: without it a prepared commit could be acknowledged, concluded and
    /// then lost in a failover, leaving a transaction nobody resolves (Vitess's VT10002).
    var twoPCAllowed: Bool { configuration.durability == .semiSync && configuration.twoPCAbandonAge != nil }

    /// Serves a 2PC call as Vitess's `DTExecutor` does (the tablet is a serving primary).
    func serveTwoPC(_ call: TwoPCRequest, id: Int, from client: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        let reply: (Result<TwoPCAnswer, TabletError>, ProcessContext<ClusterMessage>) -> Void = { result, context in
            switch result {
            case .success(let answer): context.send(.tabletReply(id: id, reply: .twoPC(answer)), to: client)
            case .failure(let error): context.send(.tabletReply(id: id, reply: .failed(error)), to: client)
            }
        }
        let mysqlFailure: (MySQLError) -> TabletError = { TabletError(mysql: $0) }
        guard twoPCAllowed else {
            return reply(.failure(TabletError(.failedPrecondition,
                "VT10002: atomic distributed transaction not allowed: two-pc is enabled, but semi-sync is not (\(configuration.keyspace)/\(configuration.shard))")), context)
        }
        let now = Int64(context.now.nanoseconds)
        let pendingDTID: String? = switch call {
        case .commitPrepared(let dtid), .rollbackPrepared(let dtid, _): dtid
        default: nil
        }
        if let dtid = pendingDTID, preparing[dtid] != nil {
            // The Prepare is still writing the redo log: rolling back now would miss it.
            preparing[dtid]?.append { [unowned self] context in self.serveTwoPC(call, id: id, from: client, context) }
            return
        }
        if pendingDTID != nil && redoPending {
            // The prepared pool is being restored from the redo log: a DTID missing from it may
            // still come back, so neither "already committed" nor a rollback can be answered yet.
            return reply(.failure(TabletError(.unavailable, "prepared transactions of \(configuration.alias) are being restored from the redo log")), context)
        }
        switch call {
        case .createTransaction(let dtid, let participants):
            var statements: [(String, [SQLValue])] = [(TwoPCSidecar.insertState, [.text(dtid), .integer(Int64(DistributedTransactionState.prepare.rawValue)), .integer(now)])]
            for (i, p) in participants.enumerated() {
                statements.append((TwoPCSidecar.insertParticipant, [.text(dtid), .integer(Int64(i + 1)), .text(p.keyspace), .text(p.shard)]))
            }
            inOwnTransaction(statements, context) { result, context in
                reply(result.map { _ in .done }.mapError(mysqlFailure), context)
            }
        case .prepare(let transactionID, let dtid):
            prepare(transactionID, dtid: dtid, now: now, context) { reply($0, $1) }
        case .startCommit(let transactionID, let dtid):
            startCommit(transactionID, dtid: dtid, context) { reply($0, $1) }
        case .setRollback(let dtid, let transactionID):
            if transactionID != 0, let transaction = transactions.removeValue(forKey: transactionID) {
                rollbackConnection(transaction.connection, context)
            }
            transition(dtid, to: .rollback, context) { reply($0, $1) }
        case .commitPrepared(let dtid):
            commitPrepared(dtid, context) { reply($0, $1) }
        case .rollbackPrepared(let dtid, let originalTransactionID):
            inOwnTransaction([(TwoPCSidecar.deleteRedoState, [.text(dtid)]), (TwoPCSidecar.deleteRedoStatements, [.text(dtid)])], context) { [unowned self] result, context in
                if case .failure(let error) = result { return reply(.failure(mysqlFailure(error)), context) }
                if let transaction = self.prepared.fetchForRollback(dtid) { self.rollbackConnection(transaction.connection, context) }
                if originalTransactionID != 0, let transaction = self.transactions.removeValue(forKey: originalTransactionID) {
                    self.rollbackConnection(transaction.connection, context)
                }
                self.observer?.mark(.twoPCRollbackPrepared)
                reply(.success(.done), context)
            }
        case .concludeTransaction(let dtid):
            inOwnTransaction([(TwoPCSidecar.deleteState, [.text(dtid)]), (TwoPCSidecar.deleteParticipants, [.text(dtid)])], context) { result, context in
                reply(result.map { _ in .done }.mapError(mysqlFailure), context)
            }
        case .readTransaction(let dtid):
            withDBAConnection(context, then: { (result: Result<[QueryResult], MySQLError>, context) in
                reply(result.mapError(mysqlFailure).map { results in
                    guard let row = results[0].rows.first else { return .transactions([]) }
                    return .transactions([Self.metadata(dtid: dtid, state: row[0], time: row[1], participants: results[1].rows)])
                }, context)
            }) { [unowned self] connection, context, finish in
                self.runInternal([(TwoPCSidecar.readState, [.text(dtid)]), (TwoPCSidecar.readParticipants, [.text(dtid)])], on: connection,
                                 reconnecting: true, context, then: finish)
            }
        case .unresolvedTransactions(let age):
            withDBAConnection(context, then: { (result: Result<QueryResult, MySQLError>, context) in
                reply(result.mapError(mysqlFailure).map { .transactions(Self.unresolved(from: $0.rows)) }, context)
            }) { [unowned self] connection, context, finish in
                self.runInternal(TwoPCSidecar.readUnresolved, [.integer(now - age.nanoseconds)], on: connection, reconnecting: true, context, then: finish)
            }
        }
    }

    /// Prepare: the transaction leaves the transaction pool for the prepared pool (keeping its
    /// connection and locks), then its statements are saved as a redo log in a transaction of
    /// their own, so that a new primary can prepare it again.
    func prepare(_ transactionID: Int, dtid: String, now: Int64, _ context: ProcessContext<ClusterMessage>,
                 reply: @escaping (Result<TwoPCAnswer, TabletError>, ProcessContext<ClusterMessage>) -> Void) {
        guard let transaction = transactions[transactionID] else {
            return reply(.failure(TabletError(.notFound, "transaction \(transactionID): not found (it ended or was killed)")), context)
        }
        if transaction.statements.isEmpty {
            // Nothing to prepare: it only read.
            transactions[transactionID] = nil
            rollbackConnection(transaction.connection, context)
            return reply(.success(.done), context)
        }
        guard !transaction.hasBindings else {
            return reply(.failure(TabletError(.unimplemented, "prepare: a statement with bind values cannot be written to the redo log")), context)
        }
        do {
            try prepared.put(PreparedPool.Transaction(connection: transaction.connection, statements: transaction.statements,
                                                      transactionID: transactionID), dtid: dtid)
        } catch {
            let message = error == .duplicate ? "duplicate DTID in Prepare: \(dtid)" : "prepared transactions exceeded limit: \(prepared.capacity)"
            return reply(.failure(TabletError(error == .duplicate ? .alreadyExists : .resourceExhausted, message)), context)
        }
        transactions[transactionID] = nil
        preparing[dtid] = []
        let reply: (Result<TwoPCAnswer, TabletError>, ProcessContext<ClusterMessage>) -> Void = { [unowned self] result, context in
            reply(result, context)
            for waiting in self.preparing.removeValue(forKey: dtid) ?? [] { waiting(context) }
        }
        var statements: [(String, [SQLValue])] = [(TwoPCSidecar.insertRedoState, [.text(dtid), .integer(TwoPCSidecar.redoPrepared), .integer(now)])]
        for (i, sql) in transaction.statements.enumerated() {
            statements.append((TwoPCSidecar.insertRedoStatement, [.text(dtid), .integer(Int64(i + 1)), .text(sql)]))
        }
        inOwnTransaction(statements, context) { [unowned self] result, context in
            switch result {
            case .failure(let error):
                if let t = self.prepared.fetchForRollback(dtid) { self.rollbackConnection(t.connection, context) }
                reply(.failure(TabletError(mysql: error)), context)
            case .success:
                self.observer?.mark(.twoPCPrepared)
                self.observer?.prepared(dtid: dtid, shard: "\(self.configuration.keyspace)/\(self.configuration.shard)", rowsAffected: transaction.rowsAffected)
                if self.configuration.mutants.contains(.forgetsLocksAfterPrepare), case .prepared(var t)? = self.prepared.entry(dtid) {
                    // Mutant: the locks go with a rollback; the statements run again at commit.
                    self.send("ROLLBACK", bindings: [], connection: t.connection,
                              work: QueryWork(client: .none, id: 0, connection: t.connection, transactionID: nil,
                                              replies: false, releases: false, ends: false), context)
                    t.holdsLocks = false
                    self.prepared.replace(t, dtid: dtid)
                }
                reply(.success(.done), context)
            }
        }
    }

    /// StartCommit, the decision: inside the metadata manager's own transaction the record
    /// moves PREPARE→COMMIT, and both commit together. Fail is certain (the record did not
    /// move: the transaction is rolled back); Unknown is not (the commit's fate is unknown).
    func startCommit(_ transactionID: Int, dtid: String, _ context: ProcessContext<ClusterMessage>,
                     reply: @escaping (Result<TwoPCAnswer, TabletError>, ProcessContext<ClusterMessage>) -> Void) {
        guard let transaction = transactions.removeValue(forKey: transactionID) else {
            return reply(.success(.startCommit(.fail)), context)
        }
        let connection = transaction.connection
        runInternal(TwoPCSidecar.transition, [.integer(Int64(DistributedTransactionState.commit.rawValue)), .text(dtid)],
                    on: connection, context) { [unowned self] result, context in
            guard case .success(let r) = result, r.rowsAffected == 1 else {
                self.rollbackConnection(connection, context)
                return reply(.success(.startCommit(.fail)), context)
            }
            self.runInternal("COMMIT", on: connection, context) { [unowned self] result, context in
                guard case .success = result else {
                    self.close(connection, context)
                    self.release(connection, transaction: true, context)
                    return reply(.success(.startCommit(.unknown)), context)
                }
                self.observer?.mark(.twoPCDecidedCommit)
                self.release(connection, transaction: true, context)
                reply(.success(.startCommit(.success)), context)
            }
        }
    }

    /// Moves a record out of PREPARE in a transaction of its own.
    func transition(_ dtid: String, to state: DistributedTransactionState, _ context: ProcessContext<ClusterMessage>,
                    reply: @escaping (Result<TwoPCAnswer, TabletError>, ProcessContext<ClusterMessage>) -> Void) {
        inOwnTransaction([(TwoPCSidecar.transition, [.integer(Int64(state.rawValue)), .text(dtid)])], context) { result, context in
            switch result {
            case .failure(let error):
                reply(.failure(TabletError(mysql: error)), context)
            case .success(let results) where results.first?.rowsAffected != 1:
                reply(.failure(TabletError(.notFound, "could not transition to \(state): \(dtid)")), context)
            case .success:
                reply(.success(.done), context)
            }
        }
    }

    /// CommitPrepared: the redo log is deleted inside the prepared transaction, so that it goes
    /// exactly when the data commits. A DTID that is not prepared here was committed already.
    func commitPrepared(_ dtid: String, _ context: ProcessContext<ClusterMessage>,
                        reply: @escaping (Result<TwoPCAnswer, TabletError>, ProcessContext<ClusterMessage>) -> Void) {
        let fetched: PreparedPool.Transaction?
        switch prepared.fetchForCommit(dtid) {
        case .failure(let error): return reply(.failure(error), context)
        case .success(let t): fetched = t
        }
        guard let transaction = fetched else {
            observer?.mark(.twoPCCommitPreparedAgain)
            return reply(.success(.done), context)
        }
        let connection = transaction.connection
        var statements: [(String, [SQLValue])] = []
        if !transaction.holdsLocks {
            // The forgetful mutant runs its statements again, on whatever the data is now.
            statements = [("BEGIN", [])] + transaction.statements.map { ($0, []) }
        }
        statements += [(TwoPCSidecar.deleteRedoState, [.text(dtid)]), (TwoPCSidecar.deleteRedoStatements, [.text(dtid)]), ("COMMIT", [])]
        runInternal(statements, on: connection, context) { [unowned self] result, context in
            switch result {
            case .success:
                self.prepared.forget(dtid)
                self.observer?.mark(.twoPCCommitPrepared)
                self.release(connection, transaction: true, context)
                reply(.success(.done), context)
            case .failure(let error) where error.code == 2006 || error.code == 2013 || error.code == 1317:
                // Retryable: the connection is gone and the node rolled the prepared transaction
                // back, but its redo log is still there: prepare it again from there (until
                // then a CommitPrepared is answered "try again", never "already committed").
                self.prepared.forget(dtid)
                self.close(connection, context)
                self.release(connection, transaction: true, context)
                self.redoPending = true
                self.redoPreparedTransactions(context) { _, _ in }
                reply(.failure(TabletError(mysql: error)), context)
            case .failure(let error):
                // Not retryable: the transaction is marked failed for an operator.
                self.prepared.setFailed(dtid)
                self.close(connection, context)
                self.release(connection, transaction: true, context)
                self.inOwnTransaction([(TwoPCSidecar.markRedoFailed, [.text(error.message), .text(dtid)])], context) { _, _ in }
                reply(.failure(TabletError(mysql: error)), context)
            }
        }
    }

    /// Rolls back whatever is open on a connection and gives it back to its pool.
    func rollbackConnection(_ connection: Int, _ context: ProcessContext<ClusterMessage>) {
        if dbaConnectionRange.contains(connection) {
            runInternal("ROLLBACK", on: connection, context) { [unowned self] _, _ in self.releaseDBA(connection) }
            return
        }
        send("ROLLBACK", bindings: [], connection: connection,
             work: QueryWork(client: .none, id: 0, connection: connection, transactionID: nil, replies: false, releases: true, ends: false), context)
    }

    /// The node lost its connections (restart): prepared transactions are gone with them, and
    /// the redo log must be replayed before the tablet writes again.
    func forgetPreparedConnections(_ context: ProcessContext<ClusterMessage>) {
        for (_, transaction) in prepared.fetchAllForRollback() {
            if dbaConnectionRange.contains(transaction.connection) {
                releaseDBA(transaction.connection)
            } else {
                release(transaction.connection, transaction: true, context)
            }
        }
        redoPending = true
    }

    static func metadata(dtid: String, state: SQLValue, time: SQLValue, participants: [[SQLValue]]) -> TransactionMetadata {
        TransactionMetadata(dtid: dtid, state: DistributedTransactionState(rawValue: Int(state.integer ?? 0)) ?? .unknown,
                            timeCreated: time.integer ?? 0,
                            participants: participants.map { ParticipantTarget(keyspace: $0[0].description, shard: $0[1].description) })
    }

    /// Groups the rows of the unresolved read (one per participant) by DTID, in their order.
    static func unresolved(from rows: [[SQLValue]]) -> [TransactionMetadata] {
        var result: [TransactionMetadata] = []
        for row in rows {
            let dtid = row[0].description
            let participant = ParticipantTarget(keyspace: row[3].description, shard: row[4].description)
            if result.last?.dtid == dtid {
                result[result.count - 1].participants.append(participant)
            } else {
                result.append(metadata(dtid: dtid, state: row[1], time: row[2], participants: []))
                result[result.count - 1].participants = [participant]
            }
        }
        return result
    }
}
