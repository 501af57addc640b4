import SQLSyntax

/// A client connection's state in the gateway (Vitess's `vtgatepb.Session`): the keyspace and
/// tablet type it targets (`USE ks@replica`, `USE ks:-80`), and its transaction mode.
public final class GatewaySession {
    /// Vitess's transaction modes: what a transaction may span and how it commits.
    public enum TransactionMode: String, Sendable, CaseIterable {
        case single = "SINGLE", multi = "MULTI", twopc = "TWOPC"
    }

    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) public var keyspace: String?
    @exclusivity(unchecked) public var shard: String?
    @exclusivity(unchecked) public var tabletType: TabletType = .primary
    @exclusivity(unchecked) public var transactionMode: TransactionMode = .multi
    /// Whether BEGIN opened a transaction that COMMIT or ROLLBACK has not ended.
    @exclusivity(unchecked) public var inTransaction = false
    /// The shards the open transaction has reached, in the order it reached them, with the
    /// tablet transaction of each (Vitess's shard sessions).
    @exclusivity(unchecked) public var shardSessions: [ShardSession] = []
    /// The warnings of the last statement (`SHOW WARNINGS`).
    @exclusivity(unchecked) public var warnings: [SessionWarning] = []

    func transactionID(_ keyspace: String, _ shard: String) -> Int? {
        shardSessions.first { $0.keyspace == keyspace && $0.shard == shard }?.transactionID
    }

    public init(keyspace: String? = nil) {
        self.keyspace = keyspace
    }
}

/// A warning a statement left in its session.
public struct SessionWarning: Sendable, Equatable {
    public var level = "Warning"
    public var code: Int
    public var message: String

    /// Vitess's ERNonAtomicCommit: a MULTI commit failed after some shards committed.
    public static let nonAtomicCommit = 301
    /// Vitess's ERInAtomicRecovery: a distributed commit failed and recovery will finish it.
    public static let inAtomicRecovery = 302
}

/// A shard an open transaction has reached, with its tablet transaction (Vitess's
/// `Session_ShardSession`).
public struct ShardSession: Sendable, Equatable {
    public var keyspace: String
    public var shard: String
    public var transactionID: Int
    /// A statement of the transaction changed data there.
    public var wrote: Bool

    /// `keyspace/shard`.
    public var key: String { "\(keyspace)/\(shard)" }
}

/// The cursor a statement of a session runs through: every shard query carries the session's
/// tablet type (reads of `USE ks@replica` go to replicas) and, inside a transaction, its shard
/// session: the first statement on a shard begins the shard's transaction, later ones run in it.
/// In SINGLE mode a transaction may not reach a second shard.
final class SessionCursor: VCursor {
    let base: any VCursor
    let session: GatewaySession

    init(base: any VCursor, session: GatewaySession) {
        self.base = base
        self.session = session
    }

    var evaluator: RowEvaluator { base.evaluator }

    func shardMap(for keyspace: String) throws(MySQLError) -> ShardMap { try base.shardMap(for: keyspace) }

    func listTablets(_ done: @escaping (Result<[TabletRecord], MySQLError>) -> Void) { base.listTablets(done) }

    func execute(_ queries: [ShardQuery], _ done: @escaping ([Result<QueryResult, MySQLError>]) -> Void) {
        var typed: [ShardQuery] = []
        var refused: [Int: MySQLError] = [:]
        var reached = Set(session.shardSessions.map { "\($0.keyspace)/\($0.shard)" })
        for (i, q) in queries.enumerated() {
            var query = q
            query.tabletType = session.tabletType
            if session.inTransaction {
                if let id = session.transactionID(q.keyspace, q.shard) {
                    query.transaction = .within(id)
                } else if session.transactionMode == .single && !reached.isEmpty && !reached.contains("\(q.keyspace)/\(q.shard)") {
                    refused[i] = MySQLError(code: 1105, sqlState: "HY000",
                                            message: "multi-db transaction attempted: \(q.keyspace)/\(q.shard) in a SINGLE transaction on \(reached.sorted().joined(separator: ", "))")
                } else {
                    query.transaction = .begin
                }
                reached.insert("\(q.keyspace)/\(q.shard)")
            }
            typed.append(query)
        }
        let sent = typed.indices.filter { refused[$0] == nil }
        base.execute(sent.map { typed[$0] }) { [session] results in
            var all: [Result<QueryResult, MySQLError>] = typed.indices.map { refused[$0].map { .failure($0) } ?? .failure(.unknown("not sent")) }
            for (k, i) in sent.enumerated() {
                all[i] = results[k]
                guard case .success(let r) = results[k] else { continue }
                let wrote = typed[i].sql.isDataChange
                if case .begin = typed[i].transaction, let id = r.transactionID {
                    session.shardSessions.append(ShardSession(keyspace: typed[i].keyspace, shard: typed[i].shard, transactionID: id, wrote: wrote))
                } else if case .within(let id) = typed[i].transaction, wrote,
                          let s = session.shardSessions.firstIndex(where: { $0.transactionID == id && $0.keyspace == typed[i].keyspace && $0.shard == typed[i].shard }) {
                    session.shardSessions[s].wrote = true
                }
            }
            done(all)
        }
    }
}
