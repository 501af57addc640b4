import SQLSyntax

/// The gateway's statement path (Vitess's `vtgate.Executor`): parses a statement, plans it
/// (plans are cached by text), runs the plan through a cursor, and sends DDL to every shard of
/// the keyspace. Transactions across shards come with the transaction work; here every
/// statement commits on its own.
public final class GatewayExecutor {
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) public private(set) var vschema: VSchema
    @exclusivity(unchecked) public private(set) var schema: SchemaColumns
    public let defaultKeyspace: String?
    /// A shard the session targets (`USE ks/-80`): statements go there whole, unrouted.
    @exclusivity(unchecked) public var target: (keyspace: String, shard: String)?
    @exclusivity(unchecked) var plans: [String: any Primitive] = [:]
    /// Plans by statement shape (literals as bind variables).
    @exclusivity(unchecked) var shapes = ShapePlans()
    /// How many executed plans used each operator (coverage marks: a test can check that the
    /// mechanism it targets ran).
    @exclusivity(unchecked) public private(set) var operatorCounts: [String: Int] = [:]
    /// The run around the gateway's transactions (observer, fault points, mutants).
    @exclusivity(unchecked) public var transactions = TransactionEnvironment()

    public init(vschema: VSchema, schema: SchemaColumns? = nil, defaultKeyspace: String? = nil) {
        self.vschema = vschema
        self.schema = schema ?? SchemaColumns(vschema: vschema)
        self.defaultKeyspace = defaultKeyspace ?? vschema.keyspaceNames.first
    }

    /// Replaces the VSchema (plans made with the old one are dropped).
    public func update(vschema: VSchema) {
        self.vschema = vschema
        plans.removeAll()
        shapes.removeAll()
    }

    /// The plan of a statement, as the gateway would run it (for `session`'s keyspace and shard).
    public func plan(_ sql: String, session: GatewaySession? = nil) throws(MySQLError) -> any Primitive {
        if let session, let keyspace = session.keyspace, let shard = session.shard {
            // A session targeted at a shard sends statements there whole, unrouted.
            guard let statement = try? SQLParser.parse(sql) else { throw MySQLError.syntax("near '\(sql.prefix(40))'") }
            return Route(keyspace: keyspace, variant: .unsharded, statement: statement, targetShard: shard)
        }
        let key = (session?.keyspace).map { "\($0)|" + sql } ?? sql
        if let cached = plans[key] { return cached }
        let statement: SQLStatement
        do { statement = try SQLParser.parse(sql) } catch {
            throw error.unsupported ? MySQLError.vtUnsupported(error.message) : MySQLError.syntax(error.description)
        }
        let primitive: any Primitive
        do { primitive = try plan(statement, defaultKeyspace: session?.keyspace ?? defaultKeyspace) } catch { throw MySQLError(error) }
        if plans.count > 2_000 { plans.removeAll() }
        plans[key] = primitive
        return primitive
    }

    func plan(_ statement: SQLStatement, defaultKeyspace: String?) throws(PlanError) -> any Primitive {
        if let target {
            return Route(keyspace: target.keyspace, variant: .unsharded, statement: statement, targetShard: target.shard)
        }
        if let (keyspace, range, stripped) = Self.keyRangeTarget(statement) {
            // `ks[range].table`: the shards of that key range, unrouted (Vitess's ByDestination).
            guard vschema.keyspaces[keyspace] != nil else { throw PlanError("VT05003: unknown database '\(keyspace)' in vschema") }
            return Route(keyspace: keyspace, variant: .scatter, statement: stripped, keyRange: range)
        }
        switch statement {
        case .show(.tables(let from)):
            // A keyspace's tables, as one of its shards lists them.
            guard let keyspace = from ?? defaultKeyspace, vschema.keyspaces[keyspace] != nil else {
                throw PlanError("VT05003: unknown database '\(from ?? "")' in vschema")
            }
            return Route(keyspace: keyspace, variant: .reference, statement: .show(.tables(from: nil)))
        case .createTable, .createIndex, .dropTable, .dropIndex, .truncate:
            guard let keyspace = defaultKeyspace else { throw PlanError("No database selected") }
            return DDL(keyspace: keyspace, statement: statement)
        default:
            return try QueryPlanner(vschema: vschema, schema: schema, defaultKeyspace: defaultKeyspace).plan(statement)
        }
    }

    /// A statement over one table qualified as `keyspace[shard range]`: the keyspace, the range
    /// and the statement with the plain keyspace as qualifier.
    static func keyRangeTarget(_ statement: SQLStatement) -> (String, KeyRange, SQLStatement)? {
        func split(_ name: TableName) -> (String, KeyRange)? {
            guard let q = name.qualifier, q.hasSuffix("]"), let open = q.firstIndex(of: "["),
                  let range = KeyRange(shardName: String(q[q.index(after: open)..<q.index(before: q.endIndex)])) else { return nil }
            return (String(q[..<open]), range)
        }
        switch statement {
        case .update(var u):
            guard let (ks, range) = split(u.table) else { return nil }
            u.table.qualifier = ks
            return (ks, range, .update(u))
        case .delete(var d):
            guard let (ks, range) = split(d.table) else { return nil }
            d.table.qualifier = ks
            return (ks, range, .delete(d))
        case .select(.select(var s)):
            guard s.from.count == 1, case .table(var name, let alias) = s.from[0], let (ks, range) = split(name) else { return nil }
            name.qualifier = ks
            s.from = [.table(name, alias: alias)]
            return (ks, range, .select(.select(s)))
        default:
            return nil
        }
    }

    /// Runs one statement of `session` and calls `done` with its result.
    public func execute(_ sql: String, session: GatewaySession? = nil, cursor: any VCursor, _ done: @escaping Completion) {
        if let session {
            let statement: SQLStatement?
            do { statement = try Self.sessionStatement(sql) } catch {
                done(.failure(error))
                return
            }
            if case .show(.warnings)? = statement {
                return done(.success(QueryResult(columns: ["Level", "Code", "Message"], rows: session.warnings.map {
                    [.text($0.level), .integer(Int64($0.code)), .text($0.message)]
                })))
            }
            session.warnings = []
            if let statement, case .begin = statement {
                // BEGIN inside a transaction commits it first, as MySQL does.
                end(session, commit: true, cursor: cursor) { result in
                    if case .success = result { session.inTransaction = true }
                    done(result)
                }
                return
            }
            if let statement, statement == .commit || statement == .rollback {
                end(session, commit: statement == .commit, cursor: cursor, done)
                return
            }
            if case .show(.vitessTablets)? = statement {
                cursor.listTablets { result in
                    done(result.map { records in
                        QueryResult(columns: ["Cell", "Keyspace", "Shard", "TabletType", "State", "Alias"], rows: records.map { r in
                            [.text(String(r.alias.prefix { $0 != "-" })), .text(r.keyspace), .text(r.shard), .text(r.type.rawValue),
                             .text(r.type == .drained ? "NOT_SERVING" : "SERVING"), .text(r.alias)]
                        })
                    })
                }
                return
            }
            if case .show(.unresolvedTransactions(let keyspace))? = statement {
                return showUnresolvedTransactions(keyspace: keyspace ?? session.keyspace, cursor: cursor, done)
            }
            if case .show(.transactionStatus(let dtid))? = statement {
                return showTransactionStatus(dtid, cursor: cursor, done)
            }
            if let statement {
                done(Result { () throws(MySQLError) in try apply(statement, to: session, cursor: cursor) })
                return
            }
            if session.tabletType != .primary, let parsed = try? SQLParser.parse(sql), !parsed.isReadOnly {
                done(.failure(MySQLError(code: 1105, sqlState: "HY000",
                                         message: "VT09002: \(Self.kind(of: parsed)) statement with a \(session.tabletType.rawValue.lowercased()) target")))
                return
            }
        }
        let primitive: any Primitive
        var bindVariables: BindVariables = [:]
        if let (shaped, bindings) = shapePlan(sql, session: session) {
            primitive = shaped
            bindVariables = bindings
        } else {
            do { primitive = try plan(sql, session: session) } catch {
                done(.failure(error))
                return
            }
        }
        if let ddl = primitive as? DDL {
            schema.apply(ddl.statement)
            plans.removeAll()
            shapes.removeAll()
        }
        mark(primitive)
        let typed: any VCursor = session.map { SessionCursor(base: cursor, session: $0) } ?? cursor
        primitive.execute(typed, bindVariables, done)
    }

    /// The plan of the statement's shape with its literals as bind variables (see `ShapePlans`),
    /// or nil when the statement is planned by its text.
    func shapePlan(_ sql: String, session: GatewaySession?) -> (any Primitive, BindVariables)? {
        guard target == nil, session?.shard == nil, let normalized = LiteralNormalizer.normalize(sql) else { return nil }
        let keyspace = session?.keyspace ?? defaultKeyspace
        return shapes.plan(for: normalized, key: (session?.keyspace).map { "\($0)|" + normalized.shape } ?? normalized.shape, original: sql) {
            statement throws(PlanError) in try plan(statement, defaultKeyspace: keyspace)
        }
    }

    /// The first letters of the statements `sessionStatement` parses.
    static let sessionHeads: [[UInt8]] = ["USE", "SET", "SHOW", "BEGIN", "START", "COMMI", "ROLLB"].map { Array($0.utf8) }

    /// The statement when it only changes the session (USE, SET) or reads the gateway (SHOW).
    static func sessionStatement(_ sql: String) throws(MySQLError) -> SQLStatement? {
        // Transaction control is most of them: known without a parse.
        switch sql {
        case "BEGIN": return .begin
        case "COMMIT": return .commit
        case "ROLLBACK": return .rollback
        default: break
        }
        let head = sql.uppercasedHead(5)
        guard Self.sessionHeads.contains(where: { head.starts(with: $0) }) else { return nil }
        do {
            let statement = try SQLParser.parse(sql)
            switch statement {
            case .use, .set, .show(.vitessShards), .show(.vitessTablets), .show(.unresolvedTransactions), .show(.transactionStatus), .show(.warnings),
                 .begin, .commit, .rollback: return statement
            default: return nil
            }
        } catch {
            throw error.unsupported ? MySQLError.vtUnsupported(error.message) : MySQLError.syntax(error.description)
        }
    }

    /// Ends the session's transaction: every shard session commits (or rolls back) in the order
    /// it joined. In MULTI mode a commit that fails after another succeeded leaves the earlier
    /// ones committed (Vitess's partial commit: the error, with warning 301); a failure on the
    /// first rolls the rest back. TWOPC across shards commits atomically (`TwoPhaseCommit`).
    func end(_ session: GatewaySession, commit: Bool, cursor: any VCursor, _ done: @escaping Completion) {
        let shards = session.shardSessions
        session.inTransaction = false
        session.shardSessions = []
        guard !shards.isEmpty else { return done(.success(QueryResult())) }
        if commit && session.transactionMode == .twopc && shards.count > 1 {
            TwoPhaseCommit(shards, cursor: cursor, environment: transactions, warn: { session.warnings.append($0) }, done: done).run()
            return
        }
        let commit = commit
        var failure: MySQLError?
        // A MULTI commit across shards is recorded for the atomicity checker.
        let observer = commit && shards.count > 1 ? transactions.observer : nil
        let record = observer?.distributedCommitStarted(ClusterObserver.DistributedCommit(
            id: "\(transactions.gateway):multi:\(shards[0].key):\(shards[0].transactionID)", mode: .multi, gateway: transactions.gateway,
            parts: shards.map { .init(shard: $0.key, wrote: $0.wrote) }))
        var committed = 0
        SequentialSteps.run(shards.count, step: { i, next in
            let s = shards[i]
            // After a failed commit the remaining shards roll back.
            let ending: ShardTransaction = commit && failure == nil ? .commit(s.transactionID) : .rollback(s.transactionID)
            let sql = { if case .commit = ending { "COMMIT" } else { "ROLLBACK" } }()
            cursor.execute([ShardQuery(keyspace: s.keyspace, shard: s.shard, sql: sql, transaction: ending)]) { results in
                var outcome = ClusterObserver.DistributedCommit.PartOutcome.rolledBack
                switch results.first {
                case .success(let r)?:
                    if case .commit = ending {
                        committed += 1
                        outcome = .committed(r.gtid)
                    }
                case .failure(let error)?:
                    if failure == nil { failure = error }
                    // No answer in time, or the connection died under the COMMIT: it may have happened.
                    if case .commit = ending, error.message.contains("deadline exceeded") || [1317, 2006, 2013].contains(error.code) {
                        outcome = .unknown
                    }
                case nil:
                    break
                }
                if let record { observer?.distributedCommit(record, part: i, outcome: outcome) }
                next(true)
            }
        }, finished: {
            if let record { observer?.distributedCommit(record, acknowledged: failure == nil) }
            guard let failure else { return done(.success(QueryResult())) }
            if committed > 0 {
                observer?.mark(.multiPartialCommit)
                // Vitess names at most two of the shards that committed.
                let names = shards.prefix(min(committed, 2)).map(\.shard) + (committed > 2 ? ["..."] : [])
                session.warnings.append(SessionWarning(code: SessionWarning.nonAtomicCommit,
                    message: "multi-db commit failed after committing to \(committed) shards: \(names.joined(separator: ", "))"))
            }
            done(.failure(failure))
        })
    }

    static func kind(of statement: SQLStatement) -> String {
        switch statement {
        case .insert: "INSERT"
        case .update: "UPDATE"
        case .delete: "DELETE"
        default: "a write"
        }
    }

    /// USE, SET and SHOW VITESS_SHARDS, answered by the gateway itself.
    func apply(_ statement: SQLStatement, to session: GatewaySession, cursor: any VCursor) throws(MySQLError) -> QueryResult {
        switch statement {
        case .use(let use):
            guard vschema.keyspaces[use.keyspace] != nil else {
                throw MySQLError(code: 1049, sqlState: "42000", message: "VT05003: unknown database '\(use.keyspace)' in vschema")
            }
            var type = TabletType.primary
            if let name = use.tabletType {
                guard let t = TabletType(rawValue: name.uppercased()), [.primary, .replica, .rdonly].contains(t) else {
                    throw MySQLError(code: 1105, sqlState: "HY000", message: "invalid tablet type '\(name)'")
                }
                type = t
            }
            if let shard = use.shard { _ = try cursor.shardMap(for: use.keyspace).resolveShard(shard) }
            session.keyspace = use.keyspace
            session.shard = use.shard
            session.tabletType = type
            plans.removeAll()
            shapes.removeAll()
            return QueryResult()
        case .set(let assignments):
            for a in assignments {
                switch a.name.lowercased() {
                case "transaction_mode", "session.transaction_mode", "@@transaction_mode", "@@session.transaction_mode":
                    let word: String
                    switch a.value {
                    case .literal(.string(let s)): word = s
                    case .column(let c): word = c.name
                    default: throw MySQLError(code: 1231, sqlState: "42000", message: "Variable 'transaction_mode' can't be set to this value")
                    }
                    guard let mode = GatewaySession.TransactionMode(rawValue: word.uppercased()) else {
                        throw MySQLError(code: 1231, sqlState: "42000", message: "Variable 'transaction_mode' can't be set to the value of '\(word)'")
                    }
                    session.transactionMode = mode
                case "autocommit", "sql_mode", "names", "character_set_client", "workload", "sql_select_limit", "time_zone":
                    continue
                default:
                    throw MySQLError(code: 1193, sqlState: "HY000", message: "Unknown system variable '\(a.name)'")
                }
            }
            return QueryResult()
        case .show(.vitessShards):
            var rows: [[SQLValue]] = []
            for keyspace in vschema.keyspaceNames {
                for shard in try cursor.shardMap(for: keyspace).shards { rows.append([.text("\(keyspace)/\(shard.name)")]) }
            }
            return QueryResult(columns: ["Shards"], rows: rows)
        default:
            throw MySQLError.vtUnsupported("this statement in the gateway")
        }
    }

    func mark(_ primitive: any Primitive) {
        operatorCounts[primitive.operatorType, default: 0] += 1
        primitive.inputs.forEach(mark)
    }
}

/// A schema change, run on every shard of the keyspace.
public final class DDL: Primitive {
    public let keyspace: String
    public let statement: SQLStatement

    public init(keyspace: String, statement: SQLStatement) {
        self.keyspace = keyspace
        self.statement = statement
    }

    public var operatorType: String { "DDL" }
    public var details: String { keyspace }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        let map: ShardMap
        do { map = try cursor.shardMap(for: keyspace) } catch {
            done(.failure(error))
            return
        }
        let sql = SQLPrinter().print(statement)
        cursor.execute(map.shards.map { ShardQuery(keyspace: keyspace, shard: $0.name, sql: sql) }) { results in
            if let failure = results.first(where: { if case .failure = $0 { true } else { false } }) {
                done(failure)
            } else {
                done(.success(QueryResult()))
            }
        }
    }
}
