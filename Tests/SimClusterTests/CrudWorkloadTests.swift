import SimCluster
import SimCore
import SQLSyntax
import Testing

/// The random CRUD workload: what it makes of a table's definition and VSchema, and the
/// statements it draws (valid SQL, every kind, the same for the same seed).
@Suite struct CrudWorkloadTests {
    static func table(_ sql: String, vindex: [String], primary: [String] = []) throws -> CrudTable {
        guard case .createTable(let definition) = try SQLParser.parseScript(sql)[0] else { preconditionFailure("not a table: \(sql)") }
        return try CrudTable(definition: definition, vindexColumns: vindex, primaryVindexColumns: primary)
    }

    @Test func aTableBecomesKeyColumnsUpdatableColumnsAndFollowers() throws {
        let orders = try Self.table("CREATE TABLE orders (note VARCHAR(8), customer BIGINT NOT NULL, id BIGINT PRIMARY KEY, qty INT NOT NULL, doc JSON)",
                                    vindex: ["customer"], primary: ["customer"])
        #expect(orders.columns.map(\.name) == ["id", "note", "customer", "qty"], "key first; JSON (nullable) left out")
        #expect(orders.updatable.map(\.name) == ["note", "qty"], "neither key nor vindex columns are updated")
        #expect(orders.keyFollowers == ["customer"], "the primary vindex outside the key follows the key")
        let items = try Self.table("CREATE TABLE items (order_id BIGINT, line INT, sku VARCHAR(8) NOT NULL, PRIMARY KEY (order_id, line))",
                                   vindex: ["order_id"], primary: ["order_id"])
        #expect(items.primaryKey == ["order_id", "line"] && items.keyFollowers.isEmpty)
    }

    @Test func tablesItCannotServeSayWhy() {
        #expect(throws: CrudTable.Unsupported.self) { try Self.table("CREATE TABLE t (a INT, b INT)", vindex: []) }
        #expect(throws: CrudTable.Unsupported.self) {
            try Self.table("CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT AUTO_INCREMENT UNIQUE)", vindex: [])
        }
        #expect(throws: CrudTable.Unsupported.self) { try Self.table("CREATE TABLE t (id BIGINT PRIMARY KEY, doc JSON NOT NULL)", vindex: []) }
    }

    @Test func drawsParseAndCoverEveryKindAndRepeatPerSeed() throws {
        let workload = CrudWorkload(tables: [
            try Self.table("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer BIGINT NOT NULL, qty INT NOT NULL, note VARCHAR(8), made DATE)",
                           vindex: ["customer"], primary: ["customer"]),
            try Self.table("CREATE TABLE items (order_id BIGINT, line INT, sku VARCHAR(8) NOT NULL, PRIMARY KEY (order_id, line))",
                           vindex: ["order_id"], primary: ["order_id"]),
        ])
        func draw(_ seed: UInt64) -> [String] {
            var random = RandomStream(rootSeed: seed, label: "crud")
            return (0..<300).flatMap { workload.nextTransaction(client: 1, sequence: $0, random: &random) }.flatMap(workload.statements)
        }
        let statements = draw(7)
        #expect(statements == draw(7))
        #expect(statements != draw(8))
        for sql in statements { _ = try SQLParser.parse(sql) }
        for prefix in ["INSERT INTO orders", "INSERT INTO items", "UPDATE orders SET", "DELETE FROM items WHERE order_id BETWEEN", "SELECT COUNT(*)"] {
            #expect(statements.contains { $0.hasPrefix(prefix) }, "no \(prefix)")
        }
        #expect(statements.contains { $0.contains("ON DUPLICATE KEY UPDATE") })
        #expect(statements.contains { $0.hasSuffix("FOR UPDATE") && $0.contains("ORDER BY order_id, line") })
        // Inserted orders live on the shard of their own id: customer = id.
        for sql in statements where sql.hasPrefix("INSERT INTO orders") {
            let values = sql.split(separator: "(")[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(values[0] == values[1], "\(sql)")
        }
        #expect(!statements.contains { $0.contains("SET customer") || $0.contains("SET id") || $0.contains("SET order_id") })
    }

    @Test func readsTakeTheirRowsAndOnlyLockingReadsCompare() throws {
        var workload = CrudWorkload(tables: [try Self.table("CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)", vindex: ["id"])])
        let read = MicroOp.statement(CrudStatement(sql: "SELECT id, v FROM t WHERE id = 1 FOR UPDATE", kind: .read(ordered: false)))
        let done = try workload.completed(read, results: [QueryResult(columns: ["id", "v"], rows: [[.integer(1), .null]])])
        #expect(done == .statement(CrudStatement(sql: "SELECT id, v FROM t WHERE id = 1 FOR UPDATE", kind: .read(ordered: false),
                                                 rows: [[.integer(1), .null]])))
        #expect(done.notation == "[:sql \"SELECT id, v FROM t WHERE id = 1 FOR UPDATE\" => [1 NULL]]")
        #expect(workload.isComparable(read))
        #expect(!workload.isComparable(.statement(CrudStatement(sql: "DELETE FROM t", kind: .write))))
        workload.lockingReads = false
        #expect(!workload.isComparable(read))
    }
}
