import SimCore
import SQLSyntax

/// Random CRUD over the VSchema's tables: transactions of inserts, upserts, updates and deletes
/// by primary key or key range, and reads (by key, by range in key order, counts), with values
/// drawn from small sets so that statements meet the same rows across shards. Nothing in the
/// statements themselves can be checked; the `oracle` check replays the committed transactions in
/// commit order into a standalone database and compares every locking read and the final tables.
public struct CrudWorkload: TransactionWorkload {
    public var tables: [CrudTable]
    /// Key values 1...keys for each table's first key column.
    public var keys = 12
    public var opsPerTransaction = 1...3
    /// The share of statements that read.
    public var readFraction = 0.35
    /// Reads lock (`FOR UPDATE`): their answers are then fixed by the commit order, and compared.
    public var lockingReads = true
    /// Inserts set primary vindex columns outside the key to the key's value (see
    /// `CrudTable.keyFollowers`); without it two shards may hold rows with the same key.
    public var keysFollowShards = true

    public init(tables: [CrudTable]) {
        precondition(!tables.isEmpty, "a CRUD workload needs a table")
        self.tables = tables
    }

    public func nextTransaction(client: Int, sequence: Int, random: inout RandomStream) -> [MicroOp] {
        let count = random.int(in: Int64(opsPerTransaction.lowerBound)...Int64(opsPerTransaction.upperBound))
        return (0..<count).map { _ in
            let table = random.element(of: tables)!
            return .statement(random.chance(readFraction) ? read(table, &random) : write(table, &random))
        }
    }

    func write(_ table: CrudTable, _ random: inout RandomStream) -> CrudStatement {
        let updatable = table.updatable
        let range = table.rangePredicate(keys: keys, random: &random)
        var kinds = ["insert", "delete"]
        if !updatable.isEmpty { kinds += ["upsert", "upsert", "update", "update"] }
        if range != nil { kinds += ["delete_range"] + (updatable.isEmpty ? [] : ["update_range"]) }
        let sql: String
        let kind = random.element(of: kinds)!
        switch kind {
        case "insert", "upsert":
            var values = table.columns.map { table.literal($0, keys: keys, random: &random) }
            if keysFollowShards {
                for follower in table.keyFollowers { values[table.columns.firstIndex { $0.name == follower }!] = values[0] }
            }
            sql = "INSERT INTO \(table.name) (\(table.columns.map(\.name).joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"
                + (kind == "upsert"
                   ? " ON DUPLICATE KEY UPDATE " + assignments(table, updatable, &random) : "")
        case "update":
            sql = "UPDATE \(table.name) SET \(assignments(table, updatable, &random)) WHERE \(table.keyPredicate(keys: keys, random: &random))"
        case "update_range":
            sql = "UPDATE \(table.name) SET \(assignments(table, updatable, &random)) WHERE \(range!)"
        case "delete_range":
            sql = "DELETE FROM \(table.name) WHERE \(range!)"
        default:
            sql = "DELETE FROM \(table.name) WHERE \(table.keyPredicate(keys: keys, random: &random))"
        }
        return CrudStatement(sql: sql, kind: .write)
    }

    func assignments(_ table: CrudTable, _ updatable: [CrudTable.Column], _ random: inout RandomStream) -> String {
        let chosen = random.shuffled(updatable).prefix(random.int(in: 1..<(min(updatable.count, 2) + 1)))
        return chosen.map { table.assignment($0, keys: keys, random: &random) }.joined(separator: ", ")
    }

    func read(_ table: CrudTable, _ random: inout RandomStream) -> CrudStatement {
        let lock = lockingReads ? " FOR UPDATE" : ""
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let order = table.primaryKey.joined(separator: ", ")
        if let range = table.rangePredicate(keys: keys, random: &random), random.chance(0.5) {
            if random.chance(0.3) {
                return CrudStatement(sql: "SELECT COUNT(*) FROM \(table.name) WHERE \(range)\(lock)", kind: .read(ordered: false))
            }
            return CrudStatement(sql: "SELECT \(columns) FROM \(table.name) WHERE \(range) ORDER BY \(order)\(lock)", kind: .read(ordered: true))
        }
        return CrudStatement(sql: "SELECT \(columns) FROM \(table.name) WHERE \(table.keyPredicate(keys: keys, random: &random))\(lock)",
                             kind: .read(ordered: false))
    }

    public func statements(for op: MicroOp) -> [String] {
        guard case .statement(let statement) = op else { preconditionFailure("not a CRUD micro-op") }
        return [statement.sql]
    }

    public func completed(_ op: MicroOp, results: [QueryResult]) throws(WorkloadError) -> MicroOp {
        guard case .statement(var statement) = op, statement.isRead else { return op }
        guard let result = results.first else { throw WorkloadError("no answer to \(statement.sql)") }
        statement.rows = result.rows
        return .statement(statement)
    }

    public func isComparable(_ op: MicroOp) -> Bool {
        if case .statement(let s) = op { s.isRead && lockingReads } else { false }
    }
}
