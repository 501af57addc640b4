import SimCluster
import SimCore
import SQLSyntax

/// One standalone MySQL node: the ceiling a sharded cluster is measured against.
public final class StandaloneTarget: SQLTarget {
    let engine: MySQLEngine
    var token = 0

    public init() throws {
        let storage = try MySQLStorage(serverID: 1)
        engine = try MySQLEngine(storage: storage, random: RandomStream(rootSeed: 1, label: "standalone"))
        engine.readOnly = false
        engine.openSession(1)
    }

    public func execute(_ sql: String) -> Result<QueryResult, MySQLError> {
        token += 1
        return engine.execute(sql, bindings: [], session: 1, token: token, now: .zero).first { $0.token == token }?.result
            ?? .failure(MySQLError(code: 1205, sqlState: "HY000", message: "Lock wait timeout exceeded; try restarting transaction"))
    }
}

/// A sharded keyspace behind a gateway, for running files written for one database: each table
/// is sharded by `hash` on its first column when every row the file writes gives that column an
/// integer, and is a reference table (a copy on every shard) otherwise.
public final class ShardedTarget: SQLTarget {
    public static let keyspace = "ks"
    let cluster: LocalCluster
    let executor: GatewayExecutor
    /// Tables whose first column can place their rows (see `shardableTables`).
    let shardable: Set<String>
    var vschema: VSchema

    public init(shards: Int, shardable: Set<String>) throws {
        let names = KeyRange.evenShardNames(shards)
        cluster = try LocalCluster(keyspaces: [(Self.keyspace, names)])
        let hash = VindexDefinition(name: "hash", kind: VindexKind.named("hash", params: [:])!, params: [:], owner: nil)
        vschema = VSchema(keyspaces: [Self.keyspace: KeyspaceVSchema(name: Self.keyspace, sharded: true, vindexes: ["hash": hash], tables: [:])])
        executor = GatewayExecutor(vschema: vschema, defaultKeyspace: Self.keyspace)
        self.shardable = shardable
    }

    /// How many executed plans used each gateway operator.
    public var operatorCounts: [String: Int] { executor.operatorCounts }

    public func execute(_ sql: String) -> Result<QueryResult, MySQLError> {
        // Tables join the VSchema as they are created, as an operator would add them.
        if let statement = try? SQLParser.parse(sql) {
            switch statement {
            case .createTable(let create) where vschema.keyspaces[Self.keyspace]?.tables[create.table.name] == nil:
                let name = create.table.name
                let first = create.columns.first?.name ?? ""
                let sharded = shardable.contains(name.lowercased()) && !first.isEmpty
                let table = TableVSchema(name: name, kind: sharded ? .normal : .reference,
                                         columnVindexes: sharded ? [ColumnVindex(columns: [first], vindex: "hash")] : [],
                                         autoIncrement: nil, columns: [], columnListAuthoritative: false, pinned: nil, source: nil)
                vschema.keyspaces[Self.keyspace]?.tables[name] = table
                executor.update(vschema: vschema)
            case .dropTable(let drop):
                let result = cluster.run(sql, through: executor)
                if case .success = result {
                    for t in drop.tables { vschema.keyspaces[Self.keyspace]?.tables[t.name] = nil }
                    executor.update(vschema: vschema)
                }
                return result
            default:
                break
            }
        }
        return cluster.run(sql, through: executor)
    }

    /// The tables of a file whose rows can all be placed by their first column: it is an integer
    /// column, every INSERT and REPLACE gives it an integer literal, and no UPDATE changes it.
    public static func shardableTables(in file: SQLLogicTestFile) -> Set<String> {
        var candidates: [String: String] = [:]  // table -> first column
        var columnsOf: [String: [String]] = [:]
        var refused: Set<String> = []
        for record in file.records where record.applies(to: SQLLogicTestRunner.engine) {
            guard case .statement = record.kind, let statement = try? SQLParser.parse(record.sql) else { continue }
            switch statement {
            case .createTable(let create):
                let name = create.table.name.lowercased()
                columnsOf[name] = create.columns.map { $0.name.lowercased() }
                if let first = create.columns.first, first.type.family == .integer { candidates[name] = first.name.lowercased() } else { refused.insert(name) }
            case .insert(let insert):
                let name = insert.table.name.lowercased()
                guard let first = candidates[name] else { continue }
                let columns = insert.columns.isEmpty ? (columnsOf[name] ?? []) : insert.columns.map { $0.lowercased() }
                guard let position = columns.firstIndex(of: first), case .values(let rows) = insert.source else {
                    refused.insert(name)
                    continue
                }
                for row in rows where position >= row.count || !isInteger(row[position]) { refused.insert(name) }
            case .update(let update):
                let name = update.table.name.lowercased()
                if let first = candidates[name], update.assignments.contains(where: { $0.column.name.lowercased() == first }) { refused.insert(name) }
            default:
                break
            }
        }
        return Set(candidates.keys).subtracting(refused)
    }

    static func isInteger(_ e: SQLExpression) -> Bool {
        switch e {
        case .literal(.integer): true
        case .unary(.minus, let x), .unary(.plus, let x): isInteger(x)
        default: false
        }
    }
}
