import SQLSyntax

/// An INSERT (or REPLACE) into a keyspace (Vitess's `engine.Insert`): into a sharded table, each
/// row goes to the shard its primary vindex value maps to, one statement per shard with that
/// shard's rows; into an unsharded keyspace, to its shard; into a reference table, to every shard.
public final class Insert: Primitive {
    public enum Mode: String, Sendable { case sharded = "Sharded", unsharded = "Unsharded", everyShard = "Reference" }

    public let keyspace: String
    public let mode: Mode
    public let statement: InsertStatement
    public let vindex: VindexDefinition?
    /// The position of the primary vindex column in each row of VALUES.
    public let vindexColumn: Int?
    /// For INSERT ... SELECT: the query whose rows are inserted, run through the gateway first
    /// (a node must never read only its own shard's part of another table).
    public let source: (any Primitive)?
    /// Lookup vindexes this table owns, and the column of each row that feeds each one: their
    /// rows are inserted first, as Vitess does.
    public let owned: [(lookup: LookupVindex, column: Int)]
    /// Commits at once, outside the session's transaction.
    public var autocommit = false
    /// The statement printed once, for statements of a shape (see `ShapePlans`).
    lazy var template = PrintedTemplate(.insert(statement))

    public init(keyspace: String, mode: Mode, statement: InsertStatement, vindex: VindexDefinition? = nil, vindexColumn: Int? = nil,
                source: (any Primitive)? = nil, owned: [(lookup: LookupVindex, column: Int)] = []) {
        self.source = source
        self.owned = owned
        self.keyspace = keyspace
        self.mode = mode
        self.statement = statement
        self.vindex = vindex
        self.vindexColumn = vindexColumn
    }

    public var operatorType: String { "Insert" }
    public var details: String { "\(mode.rawValue) \(keyspace)" + (vindex.map { " vindex=\($0.name)" } ?? "") }
    public var inputs: [any Primitive] { source.map { [$0] } ?? [] }

    /// The statement per shard, and the owned lookup rows to insert before it.
    func queries(_ statement: InsertStatement, _ cursor: any VCursor, _ bindVariables: BindVariables)
        throws(MySQLError) -> (queries: [ShardQuery], lookups: [any Primitive]) {
        let map = try cursor.shardMap(for: keyspace)
        guard case .insert(let insert) = BindVariableSubstitution.statement(.insert(statement), bindVariables) else { return ([], []) }
        guard mode == .sharded, let function = vindex?.kind.function, let column = vindexColumn,
              case .values(let rows) = insert.source else {
            let sql = SQLPrinter().print(.insert(insert))
            return (map.shards.map { ShardQuery(keyspace: keyspace, shard: $0.name, sql: sql) }, [])
        }
        func value(_ e: SQLExpression) throws(MySQLError) -> SQLValue {
            if case .literal(let literal) = e { return SQLValue(literal: literal) }
            return try cursor.evaluator.evaluate(try cursor.evaluator.compile([e], layout: []), row: [])[0]
        }
        var perShard: [String: [[SQLExpression]]] = [:]
        var lookupRows: [[(from: SQLValue, to: SQLValue)]] = owned.map { _ in [] }
        for row in rows {
            guard column < row.count else { throw MySQLError(code: 1136, sqlState: "21S01", message: "Column count doesn't match value count at row 1") }
            let primary = try value(row[column])
            guard !primary.isNull, let id = function.keyspaceID(VindexValue(primary)) else {
                throw MySQLError(code: 1105, sqlState: "HY000", message: "could not map [\(primary)] to a keyspace id")
            }
            let shard: [String]
            do throws(DestinationError) { shard = try map.resolve(.keyspaceID(id)) } catch { throw MySQLError(error) }
            perShard[shard[0], default: []].append(row)
            for (i, entry) in owned.enumerated() where entry.column < row.count {
                lookupRows[i].append((try value(row[entry.column]), entry.lookup.toValue(keyspaceID: id, primary: primary)))
            }
        }
        // In serving order (one shard, the usual case, needs no search through the map).
        let names = perShard.count == 1 ? Array(perShard.keys) : map.shards.map(\.name).filter { perShard[$0] != nil }
        let queries = names.compactMap { name -> ShardQuery? in
            guard let rows = perShard[name] else { return nil }
            if names.count == 1, source == nil, let sql = template?.filled(bindVariables) {
                // Every row to one shard: the statement itself, printed once for its shape.
                return ShardQuery(keyspace: keyspace, shard: name, sql: sql)
            }
            var part = insert
            part.source = .values(rows)
            return ShardQuery(keyspace: keyspace, shard: name, sql: SQLPrinter().print(.insert(part)))
        }
        // A duplicate owner row must not fail on its lookup row first: IGNORE, as Vitess's verify does.
        let ignore = insert.ignore || !insert.onDuplicateKeyUpdate.isEmpty || insert.replace
        let lookups = owned.indices.compactMap { owned[$0].lookup.insert(lookupRows[$0], ignore: ignore) }
        return (queries, lookups)
    }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        guard let source else {
            insert(statement, cursor, bindVariables, done)
            return
        }
        source.execute(cursor, bindVariables) { [self] result in
            switch result {
            case .failure(let error): done(.failure(error))
            case .success(let rows):
                guard !rows.rows.isEmpty else {
                    done(.success(QueryResult()))
                    return
                }
                var values = statement
                values.source = .values(rows.rows.map { $0.map(\.sqlLiteral) })
                insert(values, cursor, bindVariables, done)
            }
        }
    }

    func insert(_ statement: InsertStatement, _ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        let queries: [ShardQuery]
        let lookups: [any Primitive]
        do { (queries, lookups) = try self.queries(statement, cursor, bindVariables) } catch {
            done(.failure(error))
            return
        }
        SequentialSteps.run(lookups.count, step: { i, next in
            lookups[i].execute(cursor, bindVariables) { result in
                if case .failure = result {
                    done(result)
                    next(false)
                } else {
                    next(true)
                }
            }
        }, finished: { [self] in
            send(queries, cursor, done)
        })
    }

    func send(_ queries: [ShardQuery], _ cursor: any VCursor, _ done: @escaping Completion) {
        let everyShard = mode == .everyShard
        let queries = queries.map { q in
            var marked = q
            marked.autocommit = autocommit
            return marked
        }
        cursor.execute(queries) { results in
            var total = QueryResult()
            for result in results {
                switch result {
                case .failure(let error):
                    done(.failure(error))
                    return
                case .success(let part):
                    // A reference table's row count is one shard's, not the sum over its copies.
                    total.rowsAffected = everyShard ? part.rowsAffected : total.rowsAffected + part.rowsAffected
                    if total.insertID == 0 { total.insertID = part.insertID }
                }
            }
            done(.success(total))
        }
    }
}
