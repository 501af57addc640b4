import SimCore
import SQLSyntax

/// Shards as in-process MySQL nodes with no network between them and the gateway: every query
/// runs at once, in order. It serves `simrun explain` (which logs what each shard was sent) and
/// `simrun slt`; inside a simulation the gateway reaches tablets by messages instead.
public final class LocalCluster: VCursor {
    public struct Shard {
        public let keyspace: String
        public let name: String
        public let engine: MySQLEngine
    }

    public private(set) var shards: [String: [Shard]] = [:]
    public let evaluator: RowEvaluator
    /// Every query sent to a shard, in order, when logging is on.
    public var log: [ShardQuery] = []
    public var logging = false
    var token = 0
    /// Engine sessions of shard transactions start above the autocommit one.
    var nextSession = 1

    /// A cluster with the given shard names per keyspace, each shard one node with `schema`.
    public init(keyspaces: [(name: String, shards: [String])], schema: String = "") throws {
        evaluator = try RowEvaluator()
        for (keyspace, names) in keyspaces {
            var list: [Shard] = []
            for (i, name) in names.enumerated() {
                let storage = try MySQLStorage(serverID: UInt32(100 + i))
                if !schema.isEmpty { try storage.bootstrap(schema) }
                let engine = try MySQLEngine(storage: storage, random: RandomStream(rootSeed: 1, label: "\(keyspace)/\(name)"))
                engine.readOnly = false
                engine.openSession(1)
                list.append(Shard(keyspace: keyspace, name: name, engine: engine))
            }
            shards[keyspace] = list
        }
    }

    public func shardMap(for keyspace: String) throws(MySQLError) -> ShardMap {
        guard let list = shards[keyspace], let map = ShardMap(keyspace: keyspace, shardNames: list.map(\.name)) else {
            throw MySQLError(code: 1049, sqlState: "42000", message: "Unknown database '\(keyspace)'")
        }
        return map
    }

    public func execute(_ queries: [ShardQuery], _ done: @escaping ([Result<QueryResult, MySQLError>]) -> Void) {
        if logging { log += queries }
        done(queries.map(run))
    }

    func run(_ query: ShardQuery) -> Result<QueryResult, MySQLError> {
        guard let shard = shards[query.keyspace]?.first(where: { $0.name == query.shard }) else {
            return .failure(MySQLError(code: 1105, sqlState: "HY000", message: "no shard \(query.keyspace)/\(query.shard)"))
        }
        func run(_ sql: String, on session: Int) -> Result<QueryResult, MySQLError> {
            token += 1
            let completions = shard.engine.execute(sql, bindings: [], session: session, token: token, now: .zero)
            return completions.first { $0.token == token }?.result
                ?? .failure(MySQLError(code: 1205, sqlState: "HY000", message: "Lock wait timeout exceeded; try restarting transaction"))
        }
        switch query.transaction {
        case .none:
            return run(query.sql, on: 1)
        case .begin:
            // A shard session: a connection of its own with an open transaction.
            nextSession += 1
            let session = nextSession
            shard.engine.openSession(session)
            if case .failure(let error) = run("BEGIN", on: session) { return .failure(error) }
            let result = run(query.sql, on: session)
            guard case .success(var r) = result else {
                _ = run("ROLLBACK", on: session)
                _ = shard.engine.closeSession(session)
                return result
            }
            r.transactionID = session
            return .success(r)
        case .within(let id):
            return run(query.sql, on: id).map { r in
                var copy = r
                copy.transactionID = id
                return copy
            }
        case .twoPC:
            return .failure(MySQLError(code: 1105, sqlState: "HY000",
                                       message: "atomic distributed commit needs the simulated tablets (a cluster with gateways)"))
        case .commit(let id), .rollback(let id):
            guard shard.engine.hasSession(id) else {
                return .failure(MySQLError(code: 1105, sqlState: "HY000", message: "transaction \(id) not found"))
            }
            let result = run(query.sql, on: id)
            _ = shard.engine.closeSession(id)
            return result
        }
    }

    /// Runs a statement through `executor` and returns its result (every shard answers at once).
    public func run(_ sql: String, through executor: GatewayExecutor, session: GatewaySession? = nil) -> Result<QueryResult, MySQLError> {
        var outcome: Result<QueryResult, MySQLError>?
        executor.execute(sql, session: session, cursor: self) { outcome = $0 }
        return outcome ?? .failure(MySQLError(code: 1105, sqlState: "HY000", message: "the statement did not complete"))
    }
}
