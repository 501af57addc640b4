import SQLSyntax

/// The coordinator of an atomic distributed commit (Vitess's `TxConn.commit2PC`). The gateway
/// keeps no state of its own: the first shard session is the metadata manager (MM), which holds
/// the durable record; the others are resource managers (RMs). The phases, in order:
///
///     createTransaction   MM: record in PREPARE, listing the RMs      failure → roll back every session
///     prepare             every RM at once: locks kept, redo log     failure → rollbackTx
///     startCommit         MM: PREPARE→COMMIT with its own writes     Fail → rollbackTx; Unknown → the resolver
///     ── decision ──
///     commitPrepared      every RM at once                           failure → the resolver
///     conclude            MM: record deleted (errors ignored: the client already has its answer)
///
/// rollbackTx is SetRollback on the MM, RollbackPrepared on every RM, then conclude.
final class TwoPhaseCommit {
    enum Phase: String {
        case createTransaction = "transaction record creation"
        case prepare = "transaction prepare phase"
        case startCommit = "metadata manager commit"
        case commitPrepared = "resource manager commit"
        case conclude = "transaction conclusion"
    }

    let metadataManager: ShardSession
    let resourceManagers: [ShardSession]
    let dtid: String
    let cursor: any VCursor
    let environment: TransactionEnvironment
    /// Records a warning in the client's session.
    let warn: (SessionWarning) -> Void
    let done: Completion
    var phase = Phase.createTransaction
    var startCommitState = StartCommitState.unknown
    var record: Int?

    init(_ sessions: [ShardSession], cursor: any VCursor, environment: TransactionEnvironment,
         warn: @escaping (SessionWarning) -> Void, done: @escaping Completion) {
        precondition(sessions.count > 1, "a single shard commits normally")
        metadataManager = sessions[0]
        resourceManagers = Array(sessions.dropFirst())
        // Vitess's dtids.New: keyspace:shard:MM transaction id.
        dtid = "\(metadataManager.keyspace):\(metadataManager.shard):\(metadataManager.transactionID)"
        self.cursor = cursor
        self.environment = environment
        self.warn = warn
        self.done = done
    }

    func run() {
        record = environment.observer?.distributedCommitStarted(ClusterObserver.DistributedCommit(
            id: dtid, mode: .twoPC, gateway: environment.gateway,
            parts: ([metadataManager] + resourceManagers).map { .init(shard: $0.key, wrote: $0.wrote) }))
        let participants = resourceManagers.map { ParticipantTarget(keyspace: $0.keyspace, shard: $0.shard) }
        call(.createTransaction(dtid: dtid, participants: participants), on: metadataManager) { [self] result in
            if case .failure(let error) = result { return failed(error) }
            if stopsAt(.transactionCreated) { return }
            prepareAll()
        }
    }

    func prepareAll() {
        phase = .prepare
        var failure: MySQLError?
        var sent: [ShardSession] = []
        for rm in resourceManagers {
            switch environment.fire(.prepare(shard: rm.shard)) {
            case .stall?: return  // the coordinator is gone
            case .fail?: failure = failure ?? faultError(.prepare(shard: rm.shard))
            case nil: sent.append(rm)
            }
        }
        callAll(sent.map { ($0, .prepare(transactionID: $0.transactionID, dtid: dtid)) }) { [self] results in
            for case .failure(let error) in results where failure == nil { failure = error }
            if let failure, !environment.mutants.contains(.commitBeforeAllPrepared) { return failed(failure) }
            if stopsAt(.allPrepared) { return }
            startCommit()
        }
    }

    func startCommit() {
        phase = .startCommit
        call(.startCommit(transactionID: metadataManager.transactionID, dtid: dtid), on: metadataManager) { [self] result in
            switch result {
            case .failure(let error):
                startCommitState = .unknown
                return failed(error)
            case .success(let r):
                startCommitState = if case .startCommit(let state)? = r.twoPC { state } else { .unknown }
                guard startCommitState == .success else {
                    return failed(MySQLError(code: 1105, sqlState: "HY000", message: "StartCommit answered \(startCommitState.rawValue)"))
                }
            }
            if stopsAt(.metadataManagerCommitted) { return }
            commitAll()
        }
    }

    func commitAll() {
        phase = .commitPrepared
        var failure: MySQLError?
        var sent: [ShardSession] = []
        for rm in resourceManagers {
            switch environment.fire(.commitPrepared(shard: rm.shard)) {
            case .stall?: return  // the coordinator is gone
            case .fail?: failure = failure ?? faultError(.commitPrepared(shard: rm.shard))
            case nil: sent.append(rm)
            }
        }
        callAll(sent.map { ($0, .commitPrepared(dtid: dtid)) }) { [self] results in
            for case .failure(let error) in results where failure == nil { failure = error }
            if let failure { return failed(failure) }
            phase = .conclude
            call(.concludeTransaction(dtid: dtid), on: metadataManager) { [self] _ in
                environment.observer?.mark(.twoPCCommitted)
                finish(.success(QueryResult()))
            }
        }
    }

    /// Vitess's `errActionAndLogWarn`: what the failed phase leaves to do. The client gets the
    /// error itself, and a warning (`ERInAtomicRecovery`) that says what becomes of the
    /// transaction.
    func failed(_ error: MySQLError) {
        let outcome: String
        let cleanUp: (@escaping () -> Void) -> Void
        switch phase {
        case .createTransaction:
            outcome = "rollback attempted; conclude on recovery"
            cleanUp = rollbackSessions
        case .prepare:
            outcome = "prepare transaction rollback attempted; conclude on recovery"
            cleanUp = rollbackTransaction
        case .startCommit where startCommitState == .fail:
            outcome = "transaction will be committed/rollbacked based on the state on recovery"
            cleanUp = rollbackTransaction
        case .startCommit:
            outcome = "transaction will be committed/rollbacked based on the state on recovery"
            cleanUp = leaveToResolver
        case .commitPrepared:
            outcome = "transaction will be committed on recovery"
            cleanUp = leaveToResolver
        case .conclude:
            outcome = ""
            cleanUp = leaveToResolver
        }
        cleanUp { [self] in
            warn(SessionWarning(code: SessionWarning.inAtomicRecovery,
                                message: "\(dtid) distributed transaction ID failed during \(phase.rawValue)" + (outcome.isEmpty ? "" : "; \(outcome)")))
            finish(.failure(error))
        }
    }

    func leaveToResolver(_ then: @escaping () -> Void) {
        environment.observer?.mark(.twoPCLeftToResolver)
        then()
    }

    /// Before any prepare: every shard session rolls back as a plain transaction.
    func rollbackSessions(_ then: @escaping () -> Void) {
        let all = [metadataManager] + resourceManagers
        cursor.execute(all.map { ShardQuery(keyspace: $0.keyspace, shard: $0.shard, sql: "ROLLBACK", transaction: .rollback($0.transactionID)) }) { _ in
            then()
        }
    }

    /// rollbackTx: the record moves to ROLLBACK (the MM's transaction rolls back with it) and
    /// every RM rolls back, whatever failed; the record goes only if all of it worked (the
    /// resolver finishes otherwise).
    func rollbackTransaction(_ then: @escaping () -> Void) {
        call(.setRollback(dtid: dtid, transactionID: metadataManager.transactionID), on: metadataManager) { [self] first in
            callAll(resourceManagers.map { ($0, .rollbackPrepared(dtid: dtid, originalTransactionID: $0.transactionID)) }) { [self] results in
                guard ([first] + results).allSatisfy({ if case .success = $0 { true } else { false } }) else { return then() }
                call(.concludeTransaction(dtid: dtid), on: metadataManager) { [self] _ in
                    environment.observer?.mark(.twoPCRolledBack)
                    then()
                }
            }
        }
    }

    /// Whether this commit stops at a fault point: it fails there (the phase's error handling
    /// runs), or stalls for good, as if its gateway had died (nothing more happens, nobody is told).
    func stopsAt(_ point: TwoPCFaultPoint) -> Bool {
        switch environment.fire(point) {
        case nil: return false
        case .stall?: return true
        case .fail?:
            failed(faultError(point))
            return true
        }
    }

    func faultError(_ point: TwoPCFaultPoint) -> MySQLError {
        MySQLError(code: 1105, sqlState: "HY000", message: "fault point \(point) fired")
    }

    func finish(_ result: Result<QueryResult, MySQLError>) {
        if let record { environment.observer?.distributedCommit(record, acknowledged: (try? result.get()) != nil) }
        done(result)
    }

    func call(_ request: TwoPCRequest, on session: ShardSession, _ then: @escaping (Result<QueryResult, MySQLError>) -> Void) {
        cursor.execute([ShardQuery(keyspace: session.keyspace, shard: session.shard, sql: "", transaction: .twoPC(request))]) { then($0[0]) }
    }

    /// Calls to several shards at once (Vitess's `runSessions`).
    func callAll(_ calls: [(ShardSession, TwoPCRequest)], _ then: @escaping ([Result<QueryResult, MySQLError>]) -> Void) {
        guard !calls.isEmpty else { return then([]) }
        cursor.execute(calls.map { ShardQuery(keyspace: $0.0.keyspace, shard: $0.0.shard, sql: "", transaction: .twoPC($0.1)) }, then)
    }
}
