import SimCluster
import SimCore
import SQLiteKit
import SQLSyntax

/// `simrun bench node`: the cost of a statement through a MySQL node (parsing, translation,
/// row capture, locks, binlog) against the same statements straight on SQLite, in one run.
struct NodeBenchmark {
    var statements: Int
    var repetitions: Int

    struct Figure {
        let name: String
        let nodeSeconds: Double
        let sqliteSeconds: Double
        var ratio: Double { nodeSeconds / sqliteSeconds }
    }

    static let schema = "CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, s VARCHAR(32))"

    /// One kind of work: statement i runs `steps[i % steps.count]` with bindings for i.
    struct Workload {
        let name: String
        let steps: [(sql: String, bindings: (Int) -> [SQLValue])]
    }

    /// The same texts run on both sides.
    var workloads: [Workload] {
        let n = Int64(statements)
        return [
            Workload(name: "insert", steps: [("INSERT INTO t (id, v, s) VALUES (?, ?, ?)", { [.integer(Int64($0)), .integer(Int64($0 % 97)), .text("row \($0)")] })]),
            Workload(name: "point select", steps: [("SELECT v, s FROM t WHERE id = ?", { [.integer(Int64($0 * 7_919) % n)] })]),
            Workload(name: "update", steps: [("UPDATE t SET v = v + 1 WHERE id = ?", { [.integer(Int64($0 * 104_729) % n)] })]),
            Workload(name: "range select", steps: [("SELECT COUNT(*), SUM(v) FROM t WHERE id BETWEEN ? AND ?", { [.integer(Int64($0) % n), .integer(Int64($0) % n + 20)] })]),
            // An explicit transaction takes row locks and keeps its changes aside until COMMIT.
            Workload(name: "transaction", steps: [
                ("BEGIN", { _ in [] }),
                ("UPDATE t SET v = v + 1 WHERE id = ?", { [.integer(Int64($0 * 104_729) % n)] }),
                ("UPDATE t SET s = 'x' WHERE id = ?", { [.integer(Int64($0 * 7_919) % n)] }),
                ("COMMIT", { _ in [] }),
            ]),
        ]
    }

    func measure() throws -> [Figure] {
        var best: [String: (node: Double, sqlite: Double)] = [:]
        for _ in 0..<repetitions {
            // Interleaved, so that both see the same machine conditions.
            let node = try timeNode()
            let sqlite = try timeSQLite()
            for (name, seconds) in node {
                let previous = best[name] ?? (.infinity, .infinity)
                best[name] = (min(previous.node, seconds), min(previous.sqlite, sqlite[name] ?? .infinity))
            }
        }
        return workloads.map { Figure(name: $0.name, nodeSeconds: best[$0.name]!.node, sqliteSeconds: best[$0.name]!.sqlite) }
    }

    func timeNode() throws -> [String: Double] {
        let storage = try MySQLStorage(serverID: 1)
        try storage.bootstrap(Self.schema)
        let engine = try MySQLEngine(storage: storage, random: RandomStream(rootSeed: 1, label: "bench"))
        engine.readOnly = false
        engine.openSession(1)
        var times: [String: Double] = [:]
        let clock = ContinuousClock()
        for workload in workloads {
            let start = clock.now
            for i in 0..<statements {
                let step = workload.steps[i % workload.steps.count]
                let completions = engine.execute(step.sql, bindings: step.bindings(i), session: 1, token: i, now: .zero)
                guard case .success? = completions.first?.result else { throw NodeBenchmarkError.failed(workload.name, "\(completions)") }
            }
            times[workload.name] = (clock.now - start).seconds
        }
        return times
    }

    func timeSQLite() throws -> [String: Double] {
        let db = try Connection()
        try db.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, s TEXT)")
        var times: [String: Double] = [:]
        let clock = ContinuousClock()
        for workload in workloads {
            let start = clock.now
            for i in 0..<statements {
                let step = workload.steps[i % workload.steps.count]
                let statement = try db.prepare(step.sql)
                try statement.bind(step.bindings(i).map(\.sqlite))
                var rows: [[SQLValue]] = []
                while try statement.step() { rows.append(statement.row().map(SQLValue.init)) }
                statement.reset()
                _ = rows
            }
            times[workload.name] = (clock.now - start).seconds
        }
        return times
    }
}

enum NodeBenchmarkError: Error { case failed(String, String) }
