import Foundation
import Scenarios
import SimCluster
import SimCore
import SQLSyntax
import Testing

/// The standalone-MySQL oracle: a list-append run replays into one unsharded database with the
/// same answers, and a cluster that answered differently is caught.
@Suite struct OracleTests {
    static func t(_ c: Int, _ i: Int, _ outcome: OperationOutcome, _ ops: [MicroOp]) -> TransactionRecord {
        var record = TransactionRecord(client: c, index: i, invoked: SimTime(nanoseconds: Int64(c * 100 + i)), ops: ops)
        record.outcome = outcome
        return record
    }

    static let schema = "CREATE TABLE lists (k BIGINT PRIMARY KEY, v TEXT)"

    /// A hand-made history: what a standalone MySQL answers in the only serial order.
    static let history = RunHistory(transactions: [
        t(1, 0, .ok, [.append(key: 1, value: 10), .append(key: 2, value: 20)]),
        t(2, 0, .ok, [.read(key: 1, values: [10]), .append(key: 1, value: 11)]),
        t(3, 0, .unknown, [.append(key: 2, value: 21)]),
        t(4, 0, .fail, [.append(key: 2, value: 99)]),
        t(1, 1, .ok, [.read(key: 2, values: [20, 21]), .read(key: 1, values: [10, 11])]),
    ])

    @Test func aFaithfulHistoryReplaysIdentically() throws {
        let outcome = try ListAppendOracle(workload: ListAppendWorkload()).check(Self.history, finalLists: [1: [10, 11], 2: [20, 21]],
                                                                                on: try SQLiteOracle(schema: Self.schema))
        #expect(outcome.findings.isEmpty, "\(outcome.findings)")
        // The unknown transaction committed (its append is in the final data); the failed one did not.
        #expect(outcome.replayed == 4 && outcome.comparedReads == 3)
    }

    @Test func finalDataNoReplayMakesIsCaught() throws {
        // The cluster ends with a value in key 2 that no committed transaction appended.
        let outcome = try ListAppendOracle(workload: ListAppendWorkload()).check(Self.history, finalLists: [1: [10, 11], 2: [20, 21, 5]],
                                                                                on: try SQLiteOracle(schema: Self.schema))
        #expect(outcome.findings.contains { $0.message.contains("key 2 ends as [20 21 5] in the cluster but [20 21] in sqlite") },
                "\(outcome.findings.map(\.message))")
    }

    @Test func readsNoSerialOrderExplainsAreCaught() throws {
        // client-2 read key 1 empty, yet its append 11 ended up after client-1's 10: it must come
        // both before and after client-1 (a lost update), so no serial replay exists.
        var transactions = Self.history.transactions
        transactions[1].ops[0] = .read(key: 1, values: [])
        let outcome = try ListAppendOracle(workload: ListAppendWorkload()).check(RunHistory(transactions: transactions), finalLists: [1: [10, 11], 2: [20, 21]],
                                                                                on: try SQLiteOracle(schema: Self.schema))
        #expect(outcome.findings.map(\.message) == ["the committed transactions have no serial order (a dependency cycle: see list_append)"])
    }

    /// A standalone database that answers one read differently (as a MySQL with other semantics
    /// would): the comparison of every committed read must notice.
    final class DifferentDatabase: OracleDatabase {
        let inner: SQLiteOracle
        let name = "different"
        init() throws { inner = try SQLiteOracle(schema: OracleTests.schema) }
        func run(_ statements: [String]) throws -> [Result<QueryResult, MySQLError>] {
            var results = try inner.run(statements)
            if let i = statements.firstIndex(where: { $0.hasPrefix("SELECT v FROM lists WHERE k = 2") }) {
                results[i] = .success(QueryResult(columns: ["v"], rows: [[.text("20")]]))
            }
            return results
        }
    }

    @Test func aReadTheStandaloneDatabaseAnswersDifferentlyIsCaught() throws {
        let outcome = try ListAppendOracle(workload: ListAppendWorkload()).check(Self.history, finalLists: [1: [10, 11], 2: [20, 21]],
                                                                                on: try DifferentDatabase())
        #expect(outcome.findings.map(\.message) == ["client-1#1 read key 2 as [20 21] through the cluster, but [20] from different in serial order"])
    }

    /// The list-append scenario runs its oracle check, which replays a substantial history.
    @Test func theListAppendScenarioRunsTheOracle() throws {
        let scenario = try ScenarioLoader.load(path: Paths.scenarios.appendingPathComponent("list-append-twopc-partitions.yaml").path)
        let report = ScenarioRunner.run(scenario)
        #expect(report.checks.contains("oracle") && report.asExpected, "\(report.verdict)")
    }

    /// With MariaDB installed (CI installs it), the same hand-made history replays on a real
    /// server simrun starts itself.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/mariadbd")))
    func aRealMariaDBAnswersAsTheCluster() throws {
        let database = try MariaDBOracle.start(schema: Self.schema)
        defer { database.stop() }
        #expect(database.name.hasPrefix("mariadb 1"))
        let outcome = try ListAppendOracle(workload: ListAppendWorkload()).check(Self.history, finalLists: [1: [10, 11], 2: [20, 21]], on: database)
        #expect(outcome.findings.isEmpty, "\(outcome.findings)")
        #expect(outcome.comparedReads == 3)
    }
}
