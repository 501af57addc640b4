import SimCore
import SQLSyntax

/// A gateway's resolver of abandoned distributed transactions (Vitess's `txresolver` and
/// `TxConn.ResolveTransactions`). When a primary's health says it holds unresolved records, the
/// resolver reads them (COMMIT ones first) and finishes each one as its record says:
///
///     PREPARE   nobody decided: SetRollback on the metadata manager, then as ROLLBACK
///     ROLLBACK  RollbackPrepared on every participant, then conclude
///     COMMIT    CommitPrepared on every participant, then conclude
///
/// Any gateway may resolve any transaction (the coordinator keeps no state); at most one
/// resolution runs per shard in a gateway.
final class TransactionResolver {
    var environment: TransactionEnvironment
    /// Shards (`keyspace/shard`) being resolved now.
    private(set) var resolving: Set<String> = []

    init(environment: TransactionEnvironment) {
        self.environment = environment
    }

    func resolve(keyspace: String, shard: String, abandonAge: SimDuration, cursor: any VCursor) {
        let key = "\(keyspace)/\(shard)"
        guard resolving.insert(key).inserted else { return }
        let query = ShardQuery(keyspace: keyspace, shard: shard, sql: "", transaction: .twoPC(.unresolvedTransactions(abandonAge: abandonAge)))
        cursor.execute([query]) { [self] results in
            guard case .success(let r) = results[0], case .transactions(let records)? = r.twoPC else {
                resolving.remove(key)
                return
            }
            // A transaction that fails to resolve waits for the shard's next health report;
            // the others go on (Vitess's ResolveTransactions counts the failures).
            SequentialSteps.run(records.count, step: { [self] i, next in
                resolveTransaction(records[i], keyspace: keyspace, shard: shard, cursor: cursor) { _ in next(true) }
            }, finished: { [self] in
                resolving.remove(key)
            })
        }
    }

    /// Finishes one transaction; `then(false)` when a call failed (the next health report tries
    /// again).
    func resolveTransaction(_ record: TransactionMetadata, keyspace: String, shard: String, cursor: any VCursor,
                            then: @escaping (Bool) -> Void) {
        let dtid = record.dtid
        let participants = record.participants
        func call(_ request: TwoPCRequest, _ targets: [ParticipantTarget], _ next: @escaping (Bool) -> Void) {
            guard !targets.isEmpty else { return next(true) }
            cursor.execute(targets.map { ShardQuery(keyspace: $0.keyspace, shard: $0.shard, sql: "", transaction: .twoPC(request)) }) { results in
                next(results.allSatisfy { if case .success = $0 { true } else { false } })
            }
        }
        let metadataManager = [ParticipantTarget(keyspace: keyspace, shard: shard)]
        let rollBack: () -> Void = { [self] in
            call(.rollbackPrepared(dtid: dtid, originalTransactionID: 0), participants) { ok in
                guard ok else { return then(false) }
                call(.concludeTransaction(dtid: dtid), metadataManager) { [self] ok in
                    if ok { environment.observer?.mark(.twoPCResolvedRollback) }
                    then(ok)
                }
            }
        }
        var state = record.state
        if state == .commit && environment.mutants.contains(.resolverRollsBackCommits) { state = .rollback }
        switch state {
        case .prepare:
            call(.setRollback(dtid: dtid, transactionID: dtid.transactionIDInDTID ?? 0), metadataManager) { ok in
                ok ? rollBack() : then(false)
            }
        case .rollback:
            rollBack()
        case .commit:
            call(.commitPrepared(dtid: dtid), participants) { ok in
                guard ok else { return then(false) }
                call(.concludeTransaction(dtid: dtid), metadataManager) { [self] ok in
                    if ok { environment.observer?.mark(.twoPCResolvedCommit) }
                    then(ok)
                }
            }
        case .unknown:
            then(true)
        }
    }
}
