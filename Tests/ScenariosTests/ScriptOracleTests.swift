import Foundation
@testable import Scenarios
@testable import SimCluster
import SimCore
import SQLSyntax
import Testing

/// The script oracle: one session's statements replayed in order into a standalone database
/// answer as through the cluster; writes of unknown outcome may count or not; and differences
/// (a read, a statement one side refuses, a final table) are caught.
@Suite struct ScriptOracleTests {
    static let schema = "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT NOT NULL)"
    static let oracle = ScriptOracle(tables: [.init(name: "t", columns: ["id", "v"])])

    static func history(_ steps: [(String, GatewayHistory.Outcome)]) -> [GatewayHistory.Entry] {
        let history = GatewayHistory()
        for (i, step) in steps.enumerated() {
            history.invoked(step.0, at: SimTime(nanoseconds: Int64(i) * 10))
            history.ended(step.1, at: SimTime(nanoseconds: Int64(i) * 10 + 5))
        }
        return history.entries
    }

    static func rows(_ values: [[Int64]]) -> GatewayHistory.Outcome { .ok(QueryResult(columns: [], rows: values.map { $0.map(SQLValue.integer) })) }

    static let steps: [(String, GatewayHistory.Outcome)] = [
        ("INSERT INTO t (id, v) VALUES (1, 10)", rows([])),
        ("INSERT INTO t (id, v) VALUES (2, 20)", .unknown),
        ("INSERT INTO t (id, v) VALUES (1, 11)", .failed(MySQLError(code: 1062, sqlState: "23000", message: "Duplicate entry"))),
        ("USE ks@replica", rows([])),
        ("SELECT id, v FROM t", rows([])),
        ("USE ks@primary", rows([])),
        ("BEGIN", rows([])),
        ("UPDATE t SET v = v + 1 WHERE id = 1", rows([])),
        ("SELECT id, v FROM t ORDER BY id", rows([[1, 11], [2, 20]])),
        ("COMMIT", rows([])),
        ("SELECT v FROM t LIMIT 1", rows([[99]])),
    ]

    @Test func aFaithfulSessionReplaysWithItsUnknownInsertApplied() throws {
        let final: [String: [[SQLValue]]] = ["t": [[.integer(1), .integer(11)], [.integer(2), .integer(20)]]]
        let outcome = try Self.oracle.check(Self.history(Self.steps), finalRows: final, on: try SQLiteOracle(schema: Self.schema))
        #expect(outcome.findings.isEmpty, "\(outcome.findings)")
        // The replica read (stale by design) and LIMIT without ORDER BY are not compared.
        #expect(outcome.comparedReads == 1 && outcome.unknownTried == 1 && outcome.unknownCommitted == ["statement 2"])
    }

    @Test func differencesAreCaught() throws {
        var steps = Self.steps
        steps[1].1 = Self.rows([])
        steps[8].1 = Self.rows([[1, 11]])
        steps[2].1 = Self.rows([])
        let final: [String: [[SQLValue]]] = ["t": [[.integer(1), .integer(11)], [.integer(2), .integer(20)], [.integer(3), .integer(30)]]]
        let outcome = try Self.oracle.check(Self.history(steps), finalRows: final, on: try SQLiteOracle(schema: Self.schema))
        let messages = outcome.findings.map(\.message)
        #expect(messages.contains { $0.hasPrefix("statement 3 (INSERT INTO t (id, v) VALUES (1, 11)) succeeded through the cluster but fails in sqlite") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("statement 9 (SELECT id, v FROM t ORDER BY id) answered (1, 11) through the cluster, but (1, 11) (2, 20)") }, "\(messages)")
        #expect(messages.contains("table t ends with 3 rows in the cluster and 2 in sqlite after the script"), "\(messages)")
    }

    /// Through a real cluster: a key outside the primary vindex is unique per shard only, so the
    /// session's second row with id 1 (customer 4 hashes to 80-, customer 1 to -80) lands on
    /// another shard, where one MySQL would refuse it.
    @Test func aDuplicateAShardedClusterAcceptsIsCaught() throws {
        let text = """
            name: script-duplicate
            duration: 2s
            cluster:
              gateways: 1
              keyspaces:
                - name: shop
                  shards: 2
                  replicas: 1
                  schema: |
                    CREATE TABLE orders (id BIGINT PRIMARY KEY, customer BIGINT NOT NULL);
                  vschema: |
                    {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                     "tables": {"orders": {"column_vindexes": [{"column": "customer", "name": "hash"}]}}}
            workload:
              - script:
                  statements:
                    - INSERT INTO orders (id, customer) VALUES (1, 1)
                    - INSERT INTO orders (id, customer) VALUES (1, 4)
                    - SELECT COUNT(*) FROM orders
            checks: [oracle]
            expect: pass
            """
        let report = ScenarioRunner.run(try ScenarioLoader.parse(text, file: "script-duplicate.yaml"))
        let messages = report.verdict.violations.map(\.message)
        #expect(messages.contains { $0.hasPrefix("statement 2 (INSERT INTO orders (id, customer) VALUES (1, 4)) succeeded through the cluster but fails in sqlite") },
                "\(messages) \(report.notes)")
        #expect(report.notes.contains { $0.contains("client-1's script: replayed 3 units") }, "\(report.notes)")
    }
}
