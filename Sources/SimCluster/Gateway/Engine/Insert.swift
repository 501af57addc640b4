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

    public init(keyspace: String, mode: Mode, statement: InsertStatement, vindex: VindexDefinition? = nil, vindexColumn: Int? = nil,
                source: (any Primitive)? = nil) {
        self.source = source
        self.keyspace = keyspace
        self.mode = mode
        self.statement = statement
        self.vindex = vindex
        self.vindexColumn = vindexColumn
    }

    public var operatorType: String { "Insert" }
    public var details: String { "\(mode.rawValue) \(keyspace)" + (vindex.map { " vindex=\($0.name)" } ?? "") }
    public var inputs: [any Primitive] { source.map { [$0] } ?? [] }

    func queries(_ statement: InsertStatement, _ cursor: any VCursor, _ bindVariables: BindVariables) throws(MySQLError) -> [ShardQuery] {
        let map = try cursor.shardMap(for: keyspace)
        guard case .insert(let insert) = BindVariableSubstitution.statement(.insert(statement), bindVariables) else { return [] }
        guard mode == .sharded, let function = vindex?.kind.function, let column = vindexColumn,
              case .values(let rows) = insert.source else {
            let sql = SQLPrinter().print(.insert(insert))
            return map.shards.map { ShardQuery(keyspace: keyspace, shard: $0.name, sql: sql) }
        }
        var perShard: [String: [[SQLExpression]]] = [:]
        for row in rows {
            guard column < row.count else { throw MySQLError(code: 1136, sqlState: "21S01", message: "Column count doesn't match value count at row 1") }
            let compiled = try cursor.evaluator.compile([row[column]], layout: [])
            let value = try cursor.evaluator.evaluate(compiled, row: [])[0]
            guard !value.isNull, let id = function.keyspaceID(VindexValue(value)) else {
                throw MySQLError(code: 1105, sqlState: "HY000", message: "could not map [\(value)] to a keyspace id")
            }
            let shard: [String]
            do { shard = try map.resolve(.keyspaceID(id)) } catch { throw MySQLError(error) }
            perShard[shard[0], default: []].append(row)
        }
        return map.shards.compactMap { shard in
            guard let rows = perShard[shard.name] else { return nil }
            var part = insert
            part.source = .values(rows)
            return ShardQuery(keyspace: keyspace, shard: shard.name, sql: SQLPrinter().print(.insert(part)))
        }
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
        do { queries = try self.queries(statement, cursor, bindVariables) } catch {
            done(.failure(error))
            return
        }
        let everyShard = mode == .everyShard
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
