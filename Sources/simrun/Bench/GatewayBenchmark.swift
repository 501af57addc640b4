import SimCluster
import SimCore
import SQLiteKit
import SQLSyntax

/// `simrun bench gateway`: queries through the gateway over in-process shards (parse, plan,
/// route, each shard's node, merge) against the same query texts straight on one SQLite
/// database holding all the rows, in one run.
struct GatewayBenchmark {
    var rows: Int
    var queries: Int
    var shards: Int
    var repetitions: Int

    struct Figure {
        let name: String
        let gatewaySeconds: Double
        let sqliteSeconds: Double
        var ratio: Double { gatewaySeconds / sqliteSeconds }
    }

    static let schema = "CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(32), score INT)"

    /// Query i of each kind.
    var kinds: [(name: String, sql: (Int) -> String)] {
        let n = rows
        return [
            ("point select", { "SELECT id, name, score FROM users WHERE id = \(($0 * 7_919) % n)" }),
            ("scatter select", { "SELECT id, name FROM users WHERE score = \($0 % 1_000)" }),
            ("scatter order+limit", { "SELECT id, score FROM users WHERE score > \($0 % 900) ORDER BY score, id LIMIT 10" }),
            ("scatter aggregate", { "SELECT COUNT(*), SUM(score), MAX(name) FROM users WHERE id > \(($0 * 31) % n)" }),
        ]
    }

    func measure() throws -> [Figure] {
        let (cluster, executor) = try gateway()
        let sqlite = try Connection()
        try sqlite.executeScript("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, score INTEGER)")
        for i in 0..<rows { try sqlite.executeScript("INSERT INTO users VALUES (\(i), 'user \(i)', \((i * 37) % 1_000))") }
        var best: [String: (gateway: Double, sqlite: Double)] = [:]
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            for kind in kinds {
                // Interleaved, so that both see the same machine conditions.
                var start = clock.now
                for i in 0..<queries {
                    guard case .success = cluster.run(kind.sql(i), through: executor) else { throw GatewayBenchmarkError.failed(kind.sql(i)) }
                }
                let g = (clock.now - start).seconds
                start = clock.now
                for i in 0..<queries {
                    let statement = try sqlite.prepare(kind.sql(i))
                    var out: [[SQLValue]] = []
                    while try statement.step() { out.append(statement.row().map(SQLValue.init)) }
                    statement.reset()
                    _ = out
                }
                let s = (clock.now - start).seconds
                let previous = best[kind.name] ?? (.infinity, .infinity)
                best[kind.name] = (min(previous.gateway, g), min(previous.sqlite, s))
            }
        }
        return kinds.map { Figure(name: $0.name, gatewaySeconds: best[$0.name]!.gateway, sqliteSeconds: best[$0.name]!.sqlite) }
    }

    func gateway() throws -> (LocalCluster, GatewayExecutor) {
        let cluster = try LocalCluster(keyspaces: [("ks", KeyRange.evenShardNames(shards))], schema: Self.schema)
        let hash = VindexDefinition(name: "hash", kind: VindexKind.named("hash", params: [:])!)
        let vschema = VSchema(keyspaces: ["ks": KeyspaceVSchema(name: "ks", sharded: true, vindexes: ["hash": hash], tables: [
            "users": TableVSchema(name: "users", columnVindexes: [ColumnVindex(columns: ["id"], vindex: "hash")]),
        ])])
        var columns = SchemaColumns()
        columns.set("users", columns: ["id", "name", "score"])
        let executor = GatewayExecutor(vschema: vschema, schema: columns, defaultKeyspace: "ks")
        var batch: [String] = []
        for i in 0..<rows {
            batch.append("(\(i), 'user \(i)', \((i * 37) % 1_000))")
            if batch.count == 500 || i == rows - 1 {
                guard case .success = cluster.run("INSERT INTO users (id, name, score) VALUES " + batch.joined(separator: ", "), through: executor) else {
                    throw GatewayBenchmarkError.failed("loading rows")
                }
                batch = []
            }
        }
        return (cluster, executor)
    }
}

enum GatewayBenchmarkError: Error { case failed(String) }
