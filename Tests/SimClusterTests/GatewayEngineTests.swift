@testable import SimCluster
import SimCore
import SQLSyntax
import Testing

/// The gateway's planner and engine over four in-process shards, each answer compared with one
/// standalone node holding the same rows; each test also checks that the operator it targets
/// is in the plan and that the shards received what Vitess would send them.
@Suite struct GatewayEngineTests {
    static let schema = """
        CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(20), score INT, team INT);
        CREATE TABLE teams (id INT PRIMARY KEY, label VARCHAR(20));
        CREATE TABLE colors (c VARCHAR(10));
        """

    final class Fixture {
        let cluster: LocalCluster
        let executor: GatewayExecutor
        let standalone: EngineHarness

        init() throws {
            cluster = try LocalCluster(keyspaces: [("ks", KeyRange.evenShardNames(4))], schema: GatewayEngineTests.schema)
            let hash = VindexDefinition(name: "hash", kind: VindexKind.named("hash", params: [:])!)
            let vschema = VSchema(keyspaces: ["ks": KeyspaceVSchema(name: "ks", sharded: true, vindexes: ["hash": hash], tables: [
                "users": TableVSchema(name: "users", columnVindexes: [ColumnVindex(columns: ["id"], vindex: "hash")]),
                "teams": TableVSchema(name: "teams", columnVindexes: [ColumnVindex(columns: ["id"], vindex: "hash")]),
                "colors": TableVSchema(name: "colors", kind: .reference),
            ])])
            var columns = SchemaColumns()
            for statement in GatewayEngineTests.schema.split(separator: ";").filter({ !$0.allSatisfy(\.isWhitespace) }) {
                columns.apply(try SQLParser.parse(String(statement)))
            }
            executor = GatewayExecutor(vschema: vschema, schema: columns, defaultKeyspace: "ks")
            standalone = try EngineHarness(schema: GatewayEngineTests.schema)
            for i in 1...40 {
                let name = ["ann", "bob", "Cy", "dee", "Eve"][i % 5] + (i % 3 == 0 ? " " : "")
                let score = i % 7 == 0 ? "NULL" : String((i * 37) % 100)
                try both("INSERT INTO users (id, name, score, team) VALUES (\(i), '\(name)', \(score), \(i % 4))")
            }
            for t in 0..<4 { try both("INSERT INTO teams VALUES (\(t), 'team\(t)')") }
            for c in ["red", "green"] { try both("INSERT INTO colors VALUES ('\(c)')") }
        }

        func both(_ sql: String) throws {
            _ = try cluster.run(sql, through: executor).get()
            try standalone.ok(sql)
        }

        func sharded(_ sql: String) throws -> [[SQLValue]] { try cluster.run(sql, through: executor).get().rows }

        /// The rows of both, sorted unless the query orders them.
        func compare(_ sql: String, ordered: Bool = false) throws -> [[SQLValue]] {
            var a = try sharded(sql)
            var b = try standalone.rows(sql)
            if !ordered {
                a.sort { $0.description < $1.description }
                b.sort { $0.description < $1.description }
            }
            #expect(a == b, "\(sql)")
            return a
        }

        /// The plan's operators, one a line.
        func plan(_ sql: String) throws -> String { try executor.plan(sql).describe() }

        /// The shards the statement reached.
        func shardsReached(_ sql: String) throws -> [String] {
            cluster.log = []
            cluster.logging = true
            defer { cluster.logging = false }
            _ = try cluster.run(sql, through: executor).get()
            return cluster.log.map(\.shard)
        }
    }

    @Test func rowsLandOnTheShardTheirHashMapsTo() throws {
        let f = try Fixture()
        let map = try f.cluster.shardMap(for: "ks")
        var total = 0
        for shard in f.cluster.shards["ks"] ?? [] {
            for row in try shard.engine.storage.rows(of: "users") {
                let id = try #require(row[0].integer)
                let keyspaceID = try #require(FunctionalVindex.hash.keyspaceID(.signed(id)))
                #expect(try map.resolve(.keyspaceID(keyspaceID)) == [shard.name])
                total += 1
            }
            // A reference table has every row on every shard.
            #expect(try shard.engine.storage.rows(of: "colors").count == 2)
        }
        #expect(total == 40)
        #expect(try f.shardsReached("SELECT name FROM users WHERE id = 17").count == 1)
        #expect(try f.shardsReached("SELECT name FROM users WHERE id IN (1, 2, 3, 4, 5, 6)").count > 1)
        #expect(try f.shardsReached("SELECT name FROM users WHERE name = 'x'").count == 4)
        #expect(try f.shardsReached("SELECT c FROM colors").count == 1)
    }

    @Test func orderByAndLimitMergeSortAndAskEachShardForCountPlusOffset() throws {
        let f = try Fixture()
        let sql = "SELECT id, name FROM users ORDER BY name DESC, id LIMIT 5 OFFSET 7"
        let rows = try f.compare(sql, ordered: true)
        #expect(rows.count == 5)
        let plan = try f.plan(sql)
        #expect(plan.contains("Limit") && plan.contains("Route Scatter") && plan.contains("order=1 DESC, 0 ASC"))
        f.cluster.log = []
        f.cluster.logging = true
        _ = try f.sharded(sql)
        #expect(f.cluster.log.count == 4 && f.cluster.log.allSatisfy { $0.sql.contains("LIMIT 12") })
        // Texts under the collation: 'Cy' sorts with 'cy', trailing spaces ignored.
        _ = try f.compare("SELECT name, id FROM users ORDER BY name, id", ordered: true)
        _ = try f.compare("SELECT id FROM users ORDER BY score DESC, 1 LIMIT 3", ordered: true)
    }

    @Test func aggregatesAreDecomposedAndCombined() throws {
        let f = try Fixture()
        let sql = "SELECT COUNT(*), COUNT(score), SUM(score), AVG(score), MIN(name), MAX(score) FROM users"
        _ = try f.compare(sql)
        let plan = try f.plan(sql)
        #expect(plan.contains("Aggregate Scalar") && plan.contains("sum_count_star") && plan.contains("avg_of_parts"))
        _ = try f.compare("SELECT team, COUNT(*), SUM(score) FROM users GROUP BY team ORDER BY team", ordered: true)
        #expect(try f.plan("SELECT team, COUNT(*) FROM users GROUP BY team").contains("Aggregate Ordered"))
        _ = try f.compare("SELECT team, AVG(score) AS a FROM users GROUP BY team HAVING a > 40 ORDER BY a DESC", ordered: true)
        _ = try f.compare("SELECT COUNT(DISTINCT team), SUM(DISTINCT team) FROM users")
        // 'Eve' and 'Eve ' are one group under the collation; which spelling a group shows is
        // MySQL's choice of row, so only the counts are compared.
        _ = try f.compare("SELECT COUNT(*) FROM users GROUP BY name")
        _ = try f.compare("SELECT COUNT(*) + 1, MAX(score) - MIN(score) FROM users WHERE id > 100")
        _ = try f.compare("SELECT DISTINCT team FROM users")
        // A value the vindex maps to no shard still gives an aggregate its one row.
        _ = try f.compare("SELECT COUNT(*), MAX(score) FROM users WHERE id = 'abc'")
        #expect(try f.plan("SELECT DISTINCT team FROM users").contains("Distinct"))
    }

    @Test func crossShardJoinsRunAsNestedLoopsWithBindVariables() throws {
        let f = try Fixture()
        let sql = "SELECT u.name, t.label FROM users u JOIN teams t ON u.team = t.id WHERE u.score > 50"
        _ = try f.compare(sql)
        let plan = try f.plan(sql)
        #expect(plan.contains("Join") && plan.contains("=L"))
        _ = try f.compare("SELECT u.id, t.label FROM users u LEFT JOIN teams t ON t.id = u.team + 2 ORDER BY u.id", ordered: true)
        _ = try f.compare("SELECT t.label, COUNT(*) FROM users u, teams t WHERE u.team = t.id GROUP BY t.label")
        _ = try f.compare("SELECT u.id, c.c FROM users u, colors c WHERE u.id < 4")
    }

    @Test func subqueriesRunFirstOrPerRow() throws {
        let f = try Fixture()
        let uncorrelated = "SELECT id FROM users WHERE score > (SELECT AVG(score) FROM users) ORDER BY id"
        _ = try f.compare(uncorrelated, ordered: true)
        #expect(try f.plan(uncorrelated).contains("UncorrelatedSubquery PulloutValue"))
        _ = try f.compare("SELECT id FROM users WHERE team IN (SELECT id FROM teams WHERE label <> 'team1')")
        _ = try f.compare("SELECT id FROM users WHERE team NOT IN (SELECT id FROM teams WHERE id > 9)")
        let correlated = "SELECT id, (SELECT COUNT(*) FROM users x WHERE x.score < users.score) FROM users ORDER BY 2, 1"
        _ = try f.compare(correlated, ordered: true)
        #expect(try f.plan(correlated).contains("CorrelatedSubquery"))
        _ = try f.compare("SELECT id FROM users WHERE EXISTS (SELECT 1 FROM teams t WHERE t.id = users.team AND t.label = 'team2')")
        _ = try f.compare("SELECT team FROM users EXCEPT SELECT id FROM teams WHERE id > 1")
        _ = try f.compare("SELECT t, COUNT(*) FROM (SELECT team AS t, score FROM users WHERE id > 3) AS d WHERE d.score > 10 GROUP BY t")
        _ = try f.compare("SELECT * FROM (SELECT id, name FROM users ORDER BY id LIMIT 5) AS d ORDER BY name, id", ordered: true)
        _ = try f.compare("SELECT team FROM users INTERSECT SELECT id FROM teams WHERE id > 1 UNION SELECT 7")
        #expect(try f.plan("SELECT team FROM users EXCEPT SELECT id FROM teams").contains("Except"))
    }

    @Test func writesRouteByVindexAndBroadcastToReferenceTables() throws {
        let f = try Fixture()
        #expect(try f.shardsReached("UPDATE users SET score = 1 WHERE id = 3").count == 1)
        #expect(try f.shardsReached("DELETE FROM users WHERE score = 1").count == 4)
        #expect(try f.shardsReached("INSERT INTO colors VALUES ('blue')").count == 4)
        let split = try f.shardsReached("INSERT INTO users (id, name) VALUES (101, 'a'), (102, 'b'), (103, 'c'), (104, 'd')")
        #expect(split.count == Set(split).count && split.count > 1)
        let changed = f.cluster.run("UPDATE users SET id = 5 WHERE id = 3", through: f.executor)
        guard case .failure(let error) = changed else { Issue.record("a change of the primary vindex column was accepted"); return }
        #expect(error.isUnsupported && error.message.contains("primary vindex"))
    }

    @Test func insertSelectAndSubqueriesInWritesReadThroughTheGateway() throws {
        let f = try Fixture()
        // Every shard's copy of a reference table gets all the rows, not its own shard's part.
        try f.both("INSERT INTO colors SELECT name FROM users WHERE id <= 10")
        for shard in f.cluster.shards["ks"] ?? [] { #expect(try shard.engine.storage.rows(of: "colors").count == 12) }
        #expect(try f.plan("INSERT INTO colors SELECT name FROM users").contains("Insert Reference"))
        try f.both("INSERT INTO teams (id, label) SELECT id + 100, name FROM users WHERE score > 60")
        _ = try f.compare("SELECT id, label FROM teams")
        try f.both("UPDATE users SET score = (SELECT COUNT(*) FROM teams) WHERE id = 4")
        try f.both("DELETE FROM users WHERE team IN (SELECT id FROM teams WHERE label = 'team3')")
        _ = try f.compare("SELECT id, score FROM users")
        // An uncorrelated subquery inside a query with a correlated one.
        _ = try f.compare("SELECT id, CASE WHEN score > (SELECT AVG(score) FROM users) THEN 1 ELSE 0 END, " +
                          "(SELECT COUNT(*) FROM teams t WHERE t.id = users.team) FROM users")
    }

    @Test func sessionsTargetKeyspacesShardsAndTabletTypes() throws {
        let f = try Fixture()
        let session = GatewaySession()
        func run(_ sql: String) -> Result<QueryResult, MySQLError> { f.cluster.run(sql, through: f.executor, session: session) }
        #expect(try run("SHOW VITESS_SHARDS").get().rows == [[.text("ks/-40")], [.text("ks/40-80")], [.text("ks/80-c0")], [.text("ks/c0-")]])
        _ = try run("SET transaction_mode = 'twopc'").get()
        #expect(session.transactionMode == .twopc)
        guard case .failure(let badMode) = run("SET transaction_mode = 'paxos'") else { Issue.record("a bad mode was accepted"); return }
        #expect(badMode.code == 1231)
        guard case .failure(let unknown) = run("USE nowhere") else { Issue.record("an unknown keyspace was accepted"); return }
        #expect(unknown.message.contains("VT05003"))
        _ = try run("USE ks@replica").get()
        #expect(session.tabletType == .replica)
        guard case .failure(let write) = run("INSERT INTO users (id, name) VALUES (500, 'r')") else { Issue.record("a write to replicas was accepted"); return }
        #expect(write.message.contains("VT09002"))
        // A session targeted at a shard sends statements there whole.
        _ = try run("USE ks:80-c0").get()
        f.cluster.log = []
        f.cluster.logging = true
        let rows = try run("SELECT id FROM users").get().rows
        f.cluster.logging = false
        #expect(f.cluster.log.map(\.shard) == ["80-c0"] && rows.count < 40)
    }

    /// Transactions hold a shard session per shard they reach; COMMIT and ROLLBACK end them all.
    @Test func transactionsHoldShardSessionsUntilTheyEnd() throws {
        let f = try Fixture()
        let session = GatewaySession()
        func run(_ sql: String) -> Result<QueryResult, MySQLError> { f.cluster.run(sql, through: f.executor, session: session) }
        func count() throws -> Int64 { try f.sharded("SELECT COUNT(*) FROM users WHERE id >= 200")[0][0].integer ?? -1 }
        _ = try run("BEGIN").get()
        for id in 200..<206 { _ = try run("INSERT INTO users (id, name) VALUES (\(id), 't')").get() }
        #expect(session.shardSessions.count > 1, "the rows reach several shards")
        #expect(try run("SELECT COUNT(*) FROM users WHERE id >= 200").get().rows == [[.integer(6)]], "the transaction reads its own rows")
        #expect(try count() == 0, "nobody else sees them before COMMIT")
        _ = try run("ROLLBACK").get()
        #expect(try count() == 0 && session.shardSessions.isEmpty && !session.inTransaction)
        _ = try run("START TRANSACTION").get()
        for id in 200..<206 { _ = try run("INSERT INTO users (id, name) VALUES (\(id), 't')").get() }
        _ = try run("COMMIT").get()
        #expect(try count() == 6)
        // SINGLE refuses a second shard; the transaction can still roll back.
        _ = try run("SET transaction_mode = 'single'").get()
        _ = try run("BEGIN").get()
        _ = try run("UPDATE users SET score = 1 WHERE id = 1").get()
        var refused: MySQLError?
        for id in 2...20 where refused == nil {
            if case .failure(let e) = run("UPDATE users SET score = 1 WHERE id = \(id)") { refused = e }
        }
        #expect(refused?.message.contains("multi-db transaction attempted") == true)
        _ = try run("ROLLBACK").get()
        // TWOPC across in-process shards fails at CreateTransaction (no tablets), and the
        // coordinator rolls every shard session back: nothing is committed.
        _ = try run("SET transaction_mode = 'twopc'").get()
        _ = try run("BEGIN").get()
        for id in 300..<306 { _ = try run("INSERT INTO users (id, name) VALUES (\(id), 't')").get() }
        guard case .failure(let twopc) = run("COMMIT") else { Issue.record("a TWOPC commit was accepted"); return }
        #expect(twopc.message.contains("atomic distributed commit needs the simulated tablets"))
        guard case .success(let warnings) = run("SHOW WARNINGS") else { Issue.record("no warnings"); return }
        #expect(warnings.rows.first?[2].description.contains("failed during transaction record creation; rollback attempted") == true)
        #expect(try f.sharded("SELECT COUNT(*) FROM users WHERE id >= 300")[0][0] == .integer(0))
    }

    @Test func unsupportedConstructsAreRefusedByName() throws {
        let f = try Fixture()
        for sql in ["SELECT GROUP_CONCAT(name) FROM users", "SELECT u.id FROM users u NATURAL JOIN teams t",
                    "UPDATE users SET score = 2 WHERE score > 3 LIMIT 1"] {
            let result = f.cluster.run(sql, through: f.executor)
            guard case .failure(let error) = result else { Issue.record("\(sql) was answered"); continue }
            #expect(error.isUnsupported && error.message.hasPrefix("VT12001"), "\(sql): \(error)")
        }
    }

    @Test func mergeSortKeepsShardOrderForTies() {
        let a = QueryResult(columns: ["k", "s"], rows: [[.integer(1), .text("a0")], [.integer(3), .text("a1")]])
        let b = QueryResult(columns: ["k", "s"], rows: [[.integer(1), .text("b0")], [.integer(2), .text("b1")]])
        let route = MergeSort.merge([a, b], by: [SortKey(column: 0)]).rows
        #expect(route.map { $0[1] } == [.text("a0"), .text("b0"), .text("b1"), .text("a1")])
    }

    /// A lookup vindex owned by its table: writes keep the lookup table in step, and reads by the
    /// looked-up column reach the one shard the lookup names.
    @Test func ownedLookupVindexesFollowTheirRowsAndRouteReads() throws {
        let schema = """
            CREATE TABLE people (id BIGINT PRIMARY KEY, email VARCHAR(40));
            CREATE TABLE email_map (email VARCHAR(40), person_id BIGINT, PRIMARY KEY (email, person_id));
            """
        let cluster = try LocalCluster(keyspaces: [("ks", KeyRange.evenShardNames(4))], schema: schema)
        let kind = { (name: String) in VindexKind.named(name, params: [:])! }
        let vschema = VSchema(keyspaces: ["ks": KeyspaceVSchema(name: "ks", sharded: true, vindexes: [
            "hash": VindexDefinition(name: "hash", kind: kind("hash")),
            "md5": VindexDefinition(name: "md5", kind: kind("unicode_loose_md5")),
            "email_lookup": VindexDefinition(name: "email_lookup", kind: kind("lookup_hash_unique"),
                                             params: ["table": "email_map", "from": "email", "to": "person_id"], owner: "people"),
        ], tables: [
            "people": TableVSchema(name: "people", columnVindexes: [ColumnVindex(columns: ["id"], vindex: "hash"),
                                                                    ColumnVindex(columns: ["email"], vindex: "email_lookup")]),
            "email_map": TableVSchema(name: "email_map", columnVindexes: [ColumnVindex(columns: ["email"], vindex: "md5")]),
        ])])
        var columns = SchemaColumns()
        columns.set("people", columns: ["id", "email"])
        columns.set("email_map", columns: ["email", "person_id"])
        let executor = GatewayExecutor(vschema: vschema, schema: columns, defaultKeyspace: "ks")
        func run(_ sql: String) throws -> QueryResult { try cluster.run(sql, through: executor).get() }
        func lookupRows() throws -> [String: String] {
            var rows: [String: String] = [:]
            for shard in cluster.shards["ks"] ?? [] {
                for row in try shard.engine.storage.rows(of: "email_map") { rows[row[0].description] = shard.name + "|" + row[1].description }
            }
            return rows
        }
        for i in 1...12 { _ = try run("INSERT INTO people (id, email) VALUES (\(i), 'p\(i)@x.org')") }
        let map = try cluster.shardMap(for: "ks")
        let indexed = try lookupRows()
        #expect(indexed.count == 12)
        for (email, place) in indexed {
            let id = try #require(FunctionalVindex.unicodeLooseMD5.keyspaceID(.bytes(Array(email.utf8))))
            #expect(try place.hasPrefix(map.resolve(.keyspaceID(id))[0] + "|"), "\(email) is on the shard md5 names")
        }
        // A read by email asks the lookup table, then only the shard holding the person.
        cluster.log = []
        cluster.logging = true
        #expect(try run("SELECT id FROM people WHERE email = 'p7@x.org'").rows == [[.integer(7)]])
        cluster.logging = false
        #expect(cluster.log.count == 2 && cluster.log[0].sql.contains("email_map"))
        #expect(try executor.plan("SELECT id FROM people WHERE email = 'p7@x.org'").describe().contains("vindex=email_lookup"))
        _ = try run("UPDATE people SET email = 'new@x.org' WHERE id = 7")
        let updated = try lookupRows()
        #expect(updated["p7@x.org"] == nil && updated["new@x.org"]?.hasSuffix("|7") == true)
        #expect(try run("SELECT id FROM people WHERE email = 'new@x.org'").rows == [[.integer(7)]])
        _ = try run("DELETE FROM people WHERE id IN (7, 8)")
        let deleted = try lookupRows()
        #expect(deleted.count == 10 && deleted["new@x.org"] == nil && deleted["p8@x.org"] == nil)
        #expect(try executor.plan("DELETE FROM people WHERE id = 3").describe().contains("OwnedLookupWrite"))
    }
}
