import SQLSyntax

/// A client connection's state in the gateway (Vitess's `vtgatepb.Session`): the keyspace and
/// tablet type it targets (`USE ks@replica`, `USE ks:-80`), and its transaction mode.
public final class GatewaySession {
    /// Vitess's transaction modes: what a transaction may span and how it commits.
    public enum TransactionMode: String, Sendable, CaseIterable {
        case single = "SINGLE", multi = "MULTI", twopc = "TWOPC"
    }

    public var keyspace: String?
    public var shard: String?
    public var tabletType: TabletType = .primary
    public var transactionMode: TransactionMode = .multi

    public init(keyspace: String? = nil) {
        self.keyspace = keyspace
    }
}

/// The cursor a statement of a session runs through: every shard query carries the session's
/// tablet type (reads of `USE ks@replica` go to replicas).
final class SessionCursor: VCursor {
    let base: any VCursor
    let tabletType: TabletType

    init(base: any VCursor, tabletType: TabletType) {
        self.base = base
        self.tabletType = tabletType
    }

    var evaluator: RowEvaluator { base.evaluator }

    func shardMap(for keyspace: String) throws(MySQLError) -> ShardMap { try base.shardMap(for: keyspace) }

    func execute(_ queries: [ShardQuery], _ done: @escaping ([Result<QueryResult, MySQLError>]) -> Void) {
        base.execute(queries.map { q in
            var typed = q
            typed.tabletType = tabletType
            return typed
        }, done)
    }
}
