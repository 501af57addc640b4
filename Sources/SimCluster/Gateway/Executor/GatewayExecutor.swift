import SQLSyntax

/// The gateway's statement path (Vitess's `vtgate.Executor`): parses a statement, plans it
/// (plans are cached by text), runs the plan through a cursor, and sends DDL to every shard of
/// the keyspace. Transactions across shards come with the transaction work; here every
/// statement commits on its own.
public final class GatewayExecutor {
    public private(set) var vschema: VSchema
    public private(set) var schema: SchemaColumns
    public let defaultKeyspace: String?
    /// A shard the session targets (`USE ks/-80`): statements go there whole, unrouted.
    public var target: (keyspace: String, shard: String)?
    var plans: [String: any Primitive] = [:]
    /// How many executed plans used each operator (coverage marks: a test can check that the
    /// mechanism it targets ran).
    public private(set) var operatorCounts: [String: Int] = [:]

    public init(vschema: VSchema, schema: SchemaColumns? = nil, defaultKeyspace: String? = nil) {
        self.vschema = vschema
        self.schema = schema ?? SchemaColumns(vschema: vschema)
        self.defaultKeyspace = defaultKeyspace ?? vschema.keyspaceNames.first
    }

    /// Replaces the VSchema (plans made with the old one are dropped).
    public func update(vschema: VSchema) {
        self.vschema = vschema
        plans.removeAll()
    }

    var planner: QueryPlanner { QueryPlanner(vschema: vschema, schema: schema, defaultKeyspace: defaultKeyspace) }

    /// The plan of a statement, as the gateway would run it.
    public func plan(_ sql: String) throws(MySQLError) -> any Primitive {
        if let cached = plans[sql] { return cached }
        let statement: SQLStatement
        do { statement = try SQLParser.parse(sql) } catch {
            throw error.unsupported ? MySQLError.vtUnsupported(error.message) : MySQLError.syntax(error.description)
        }
        let primitive: any Primitive
        do { primitive = try plan(statement) } catch { throw MySQLError(error) }
        if plans.count > 10_000 { plans.removeAll() }
        plans[sql] = primitive
        return primitive
    }

    func plan(_ statement: SQLStatement) throws(PlanError) -> any Primitive {
        if let target {
            return Route(keyspace: target.keyspace, variant: .unsharded, statement: statement, targetShard: target.shard)
        }
        switch statement {
        case .select(let query) where query.firstSelect.from.isEmpty && !Self.readsTables(query):
            // No table: any shard of the default keyspace answers (Vitess evaluates it alone).
            guard let keyspace = defaultKeyspace else { throw PlanError("No database selected") }
            return Route(keyspace: keyspace, variant: .reference, statement: statement)
        case .createTable, .createIndex, .dropTable, .dropIndex, .truncate:
            guard let keyspace = defaultKeyspace else { throw PlanError("No database selected") }
            return DDL(keyspace: keyspace, statement: statement)
        default:
            return try planner.plan(statement)
        }
    }

    static func readsTables(_ query: SelectQuery) -> Bool { !SingleRoutePlanner.tableNames(in: query).isEmpty }

    /// Runs one statement and calls `done` with its result.
    public func execute(_ sql: String, cursor: any VCursor, _ done: @escaping Completion) {
        let primitive: any Primitive
        do { primitive = try plan(sql) } catch {
            done(.failure(error))
            return
        }
        if let ddl = primitive as? DDL {
            schema.apply(ddl.statement)
            plans.removeAll()
        }
        mark(primitive)
        primitive.execute(cursor, [:], done)
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
