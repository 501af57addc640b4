import SQLSyntax

/// One query for one shard of a keyspace.
public struct ShardQuery: Sendable, Equatable {
    public var keyspace: String
    public var shard: String
    public var sql: String
    /// Runs outside the session's transaction, committing at once (writes to a lookup vindex
    /// with `multi_shard_autocommit`).
    public var autocommit: Bool
    /// The kind of tablet that answers (the session's target; writes always go to the primary).
    public var tabletType: TabletType
    /// What the query does with the session's transaction on this shard.
    public var transaction: ShardTransaction = .none

    public init(keyspace: String, shard: String, sql: String, autocommit: Bool = false, tabletType: TabletType = .primary,
                transaction: ShardTransaction = .none) {
        self.transaction = transaction
        self.keyspace = keyspace
        self.shard = shard
        self.sql = sql
        self.autocommit = autocommit
        self.tabletType = tabletType
    }
}

/// A shard query's part in a transaction: none (autocommit), the first statement of the shard's
/// transaction, a statement of an open one, or its end.
public enum ShardTransaction: Sendable, Equatable {
    case none
    case begin
    case within(Int)
    case commit(Int)
    case rollback(Int)
    /// A call of atomic distributed commit to the shard's primary; its answer comes back in
    /// `QueryResult.twoPC`.
    case twoPC(TwoPCRequest)
}

/// What the gateway's primitives need from the world around them (Vitess's `VCursor`): the
/// serving shards of a keyspace and a way to run queries on shards. Completions are callbacks so
/// that the same primitives run synchronously over in-process nodes and, inside a simulation,
/// over messages that come back at later virtual times.
public protocol VCursor: AnyObject {
    /// The serving shards of `keyspace`, in serving order.
    func shardMap(for keyspace: String) throws(MySQLError) -> ShardMap
    /// Runs the queries (one batch: every shard at once) and calls `done` once with a result per
    /// query, in the order given.
    func execute(_ queries: [ShardQuery], _ done: @escaping ([Result<QueryResult, MySQLError>]) -> Void)
    /// Evaluates expressions over rows in the gateway.
    var evaluator: RowEvaluator { get }
    /// Every tablet the cursor can reach (for `SHOW VITESS_TABLETS`).
    func listTablets(_ done: @escaping (Result<[TabletRecord], MySQLError>) -> Void)
}

extension VCursor {
    /// By default a cursor knows no tablets.
    public func listTablets(_ done: @escaping (Result<[TabletRecord], MySQLError>) -> Void) {
        done(.failure(.vtUnsupported("SHOW VITESS_TABLETS without tablets")))
    }
}

/// Bind variables of a primitive's execution: values pulled out of subqueries and the columns
/// of a join's left row, by name.
public typealias BindVariables = [String: BindValue]

/// A bind variable's value: one value or a list (an IN subquery's rows).
public enum BindValue: Sendable, Equatable {
    case value(SQLValue)
    case list([SQLValue])
}
