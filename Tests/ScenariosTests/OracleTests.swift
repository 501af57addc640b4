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
        func reset() throws { try inner.reset() }
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

/// The read-your-writes checker fires when a session does not see its own acknowledged write on
/// the primary, or reads a wrong value from a replica; stale replica reads are allowed.
@Suite struct ReadYourWritesCheckerTests {
    @Test func aLostOwnWriteIsCaughtAndStaleReplicaReadsAreNot() throws {
        let text = """
            name: ryw
            duration: 3s
            cluster:
              gateways: 1
              keyspaces:
                - name: app
                  replicas: 1
                  schema: |
                    CREATE TABLE ryw (id BIGINT PRIMARY KEY, v VARCHAR(32) NOT NULL);
              mysql: {apply_delay: 20ms}
            workload:
              - read_your_writes: {keyspace: app, clients: 2}
            checks: [read_your_writes]
            expect: pass
            """
        let report = ScenarioRunner.run(try ScenarioLoader.parse(text, file: "ryw.yaml"))
        #expect(report.asExpected, "\(report.verdict)")
        let marks = Dictionary(uniqueKeysWithValues: report.marks.map { ($0.name, $0.count) })
        #expect((marks["ryw.read_own_write"] ?? 0) > 20 && (marks["ryw.stale_replica_read"] ?? 0) > 0, "\(report.marks)")
        // The checker itself, on histories made by hand: a primary read that missed the session's
        // own write, and a replica read of a wrong value, are violations; a stale one is not.
        guard case .cluster(let clusterScenario) = try ScenarioLoader.parse(text, file: "ryw.yaml").system else { return }
        let cluster = try Cluster(spec: clusterScenario.spec, seed: 1)
        let scenario = try ScenarioLoader.parse(text, file: "ryw.yaml")
        let stale = ReadYourWritesHistory(records: [.init(id: 7, written: .zero, acknowledged: true, primaryRead: .some(7), replicaRead: .some(nil))])
        #expect(ReadYourWritesChecker().check(ClusterRunView(scenario: scenario, cluster: cluster, readYourWrites: [("client-1", stale)])).isEmpty)
        let lost = ReadYourWritesHistory(records: [.init(id: 7, written: .zero, acknowledged: true, primaryRead: .some(nil)),
                                                   .init(id: 8, written: .zero, acknowledged: true, primaryRead: .some(8), replicaRead: .some(3))])
        let found = ReadYourWritesChecker().check(ClusterRunView(scenario: scenario, cluster: cluster, readYourWrites: [("client-1", lost)]))
        #expect(found.map(\.message) == ["client-1 wrote row 7 (acknowledged at 0s) and read no row back from the primary",
                                         "client-1 read row 8 from a replica as 3"])
    }
}
