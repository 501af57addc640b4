import SQLSyntax

/// Shards that answer like vtexplain's fake tablets: every query is logged with the batch it
/// was sent in, a SELECT on one table gets one synthetic row (integer columns the column's
/// position, floats 1.0 + position, other columns `<column>_val_<position>`), a write reports
/// one row changed. What a plan sends where can then be printed and compared with vtexplain.
public final class ExplainCursor: VCursor {
    /// One query that reached a shard, in the batch (`time`) it was sent in.
    public struct Entry: Sendable, Equatable {
        public let time: Int
        public let query: ShardQuery
    }

    let shardNames: [String: [String]]
    /// Column names and kinds of each table (lowercased names).
    let columns: [String: [(name: String, family: SQLType.Family)]]
    public let evaluator: RowEvaluator
    public private(set) var log: [Entry] = []
    var time = 0

    public init(shards: [String: [String]], tables: [CreateTableStatement]) throws {
        shardNames = shards
        var columns: [String: [(name: String, family: SQLType.Family)]] = [:]
        for t in tables { columns[t.table.name.lowercased()] = t.columns.map { ($0.name.lowercased(), $0.type.family) } }
        self.columns = columns
        evaluator = try RowEvaluator()
    }

    /// Forgets the queries logged so far.
    public func clear() {
        log = []
        time = 0
    }

    public func shardMap(for keyspace: String) throws(MySQLError) -> ShardMap {
        guard let names = shardNames[keyspace], let map = ShardMap(keyspace: keyspace, shardNames: names) else {
            throw MySQLError(code: 1049, sqlState: "42000", message: "Unknown database '\(keyspace)'")
        }
        return map
    }

    /// Logs a query sent outside a plan (BEGIN, COMMIT of a session).
    public func note(_ queries: [ShardQuery]) {
        guard !queries.isEmpty else { return }
        time += 1
        log += queries.map { Entry(time: time, query: $0) }
    }

    public func execute(_ queries: [ShardQuery], _ done: @escaping ([Result<QueryResult, MySQLError>]) -> Void) {
        note(queries)
        done(queries.map { .success(answer($0.sql)) })
    }

    func answer(_ sql: String) -> QueryResult {
        guard let statement = try? SQLParser.parse(sql) else { return QueryResult() }
        switch statement {
        case .select(let query):
            let select: SelectStatement
            switch query {
            case .select(let s): select = s
            case .compound(let c): select = c.right.firstSelect
            }
            guard select.from.count == 1, case .table(let name, _) = select.from[0] else { return QueryResult() }
            let table = columns[name.name.lowercased()] ?? []
            var described: [(name: String, family: SQLType.Family?)] = []
            for item in select.columns {
                switch item {
                case .star: described += table.map { ($0.name, $0.family) }
                case .expression(let e, _): described.append(Self.describe(e, table: table))
                }
            }
            let row: [SQLValue] = described.enumerated().map { i, c in
                switch c.family {
                case .integer?: .integer(Int64(i + 1))
                case .float?, .decimal?: .real(1.0 + Double(i))
                default: .text("\(c.name)_val_\(i + 1)")
                }
            }
            return QueryResult(columns: described.map(\.name), rows: [row])
        case .insert, .update, .delete:
            return QueryResult(rowsAffected: 1)
        default:
            return QueryResult()
        }
    }

    /// The name and kind vtexplain gives a select expression.
    static func describe(_ e: SQLExpression, table: [(name: String, family: SQLType.Family)]) -> (name: String, family: SQLType.Family?) {
        switch e {
        case .column(let c):
            let name = c.name.lowercased()
            return (name, table.first { $0.name == name }?.family)
        case .function: return (SQLPrinter().print(e), .integer)
        case .literal(.integer), .literal(.bytes): return (SQLPrinter().print(e), .integer)
        case .literal(.float), .literal(.decimal): return (SQLPrinter().print(e), .float)
        case .literal(.string): return (SQLPrinter().print(e), .text)
        case .caseWhen(let c): return c.whens.first.map { describe($0.result, table: table) } ?? (SQLPrinter().print(e), nil)
        default: return (SQLPrinter().print(e), nil)
        }
    }
}
