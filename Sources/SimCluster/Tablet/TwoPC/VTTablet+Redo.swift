import SimCore
import SQLSyntax

extension VTTablet {
    /// Prepares again, from the redo log, every transaction that was prepared on this shard and
    /// is not prepared here: run before the tablet accepts writes (promotion, undoing a
    /// demotion, after a restart), on dba connections that may write while the node is still
    /// read-only (Vitess's `prepareFromRedo`). A statement that fails marks its transaction
    /// failed; the tablet opens for writes anyway (Vitess chooses availability). `then` gets
    /// false when the redo log could not be read at all: the tablet must not open for writes.
    func redoPreparedTransactions(_ context: ProcessContext<ClusterMessage>, then: @escaping (Bool, ProcessContext<ClusterMessage>) -> Void) {
        guard configuration.twoPCAbandonAge != nil else { return then(true, context) }
        if configuration.mutants.contains(.promotionSkipsRedo) {
            redoPending = false
            return then(true, context)
        }
        // super_read_only off, read_only still on: only the tablet's own sessions may write.
        admin(.setSuperReadOnly(false), context) { [unowned self] _, context in
            self.replayRedo(context, then: then)
        }
    }

    private func replayRedo(_ context: ProcessContext<ClusterMessage>, then outerThen: @escaping (Bool, ProcessContext<ClusterMessage>) -> Void) {
        replaying = true
        let then: (Bool, ProcessContext<ClusterMessage>) -> Void = { [unowned self] ok, context in
            self.replaying = false
            outerThen(ok, context)
        }
        withDBAConnection(context, then: { [unowned self] (result: Result<[QueryResult], MySQLError>, context) in
            guard case .success(let results) = result else {
                context.trace(state: "redo_read_failed")
                return then(false, context)
            }
            var statements: [String: [String]] = [:]
            for row in results[1].rows { statements[row[0].description, default: []].append(row[1].description) }
            let records = results[0].rows.map { (dtid: $0[0].description, state: $0[1].integer ?? 0) }
            // DTIDs embed the metadata manager's transaction id: stay above them (AdjustLastID).
            for record in records { if let id = record.dtid.transactionIDInDTID, id > self.lastTransactionID { self.lastTransactionID = id } }
            var replayed = 0
            func step(_ i: Int, _ context: ProcessContext<ClusterMessage>) {
                guard i < records.count else {
                    self.redoPending = false
                    if replayed > 0 {
                        self.observer?.mark(.twoPCRedoReplayed)
                        var fields = TraceFields()
                        fields.add("prepared", String(replayed))
                        context.trace(state: "redo_replayed", fields)
                    }
                    return then(true, context)
                }
                let record = records[i]
                guard self.prepared.entry(record.dtid) == nil else { return step(i + 1, context) }
                guard record.state == TwoPCSidecar.redoPrepared else {
                    self.prepared.setFailed(record.dtid)
                    return step(i + 1, context)
                }
                guard let connection = self.freeDBAConnections.popLast() else {
                    context.trace(state: "redo_no_connection")
                    return step(i + 1, context)
                }
                let redo = statements[record.dtid] ?? []
                self.runInternal([("BEGIN", [])] + redo.map { ($0, []) }, on: connection, reconnecting: true, context) { [unowned self] result, context in
                    switch result {
                    case .success:
                        try? self.prepared.put(PreparedPool.Transaction(connection: connection, statements: redo, transactionID: 0), dtid: record.dtid)
                        replayed += 1
                    case .failure(let error):
                        self.close(connection, context)
                        self.releaseDBA(connection)
                        self.prepared.setFailed(record.dtid)
                        self.inOwnTransaction([(TwoPCSidecar.markRedoFailed, [.text("redo replay: \(error.message)"), .text(record.dtid)])], context) { _, _ in }
                    }
                    step(i + 1, context)
                }
            }
            step(0, context)
        }) { [unowned self] connection, context, finish in
            self.runInternal([(TwoPCSidecar.readRedoStates, []), (TwoPCSidecar.readRedoStatements, [])], on: connection, reconnecting: true, context, then: finish)
        }
    }

    /// A demotion rolls back the prepared transactions only after every other write has
    /// stopped, so that no conflicting write slips in once their locks go. Their redo log stays
    /// (it was committed and replicated): the next primary prepares them again.
    func releasePreparedForDemotion(_ context: ProcessContext<ClusterMessage>) {
        let all = prepared.fetchAllForRollback()
        redoPending = true
        guard !all.isEmpty else { return }
        observer?.mark(.twoPCDemotionReleasedPrepared)
        for (_, transaction) in all { rollbackConnection(transaction.connection, context) }
    }

    /// The watcher (Vitess's `startTransactionWatcher`): a primary whose metadata records are
    /// older than the abandon age says so in its health stream, where the gateways' resolvers
    /// see it.
    func watchUnresolvedTransactions(_ context: ProcessContext<ClusterMessage>) {
        guard type == .primary, serving, twoPCAllowed, let age = configuration.twoPCAbandonAge else {
            unresolvedTransactions = false
            return
        }
        if redoPending && !replaying {
            // A replay that failed (the node did not answer) is tried again.
            redoPreparedTransactions(context) { _, _ in }
        }
        let before = Int64(context.now.nanoseconds) - age.nanoseconds
        withDBAConnection(context, then: { [unowned self] (result: Result<QueryResult, MySQLError>, context) in
            guard case .success(let r) = result else { return }
            let count = r.rows.first?.first?.integer ?? 0
            self.unresolvedTransactions = count > 0
            if count > 0 {
                self.observer?.mark(.twoPCUnresolvedReported)
                self.broadcastHealth(context)
            }
        }) { [unowned self] connection, context, finish in
            self.runInternal(TwoPCSidecar.countUnresolved, [.integer(before)], on: connection, reconnecting: true, context, then: finish)
        }
    }
}
