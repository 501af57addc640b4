import SimCluster
import SQLSyntax
import SimCore
import Testing

/// The node answers as MySQL (MariaDB, strict mode) would.
@Suite struct MySQLSemanticsTests {
    let schema = """
        CREATE TABLE users (id BIGINT NOT NULL AUTO_INCREMENT, name VARCHAR(8) NOT NULL, email VARCHAR(32),
          age TINYINT UNSIGNED, score DECIMAL(5,2) DEFAULT 0.00, PRIMARY KEY (id), UNIQUE KEY by_email (email)) ENGINE=InnoDB;
        CREATE TABLE kv (k VARCHAR(16) PRIMARY KEY, v INT NOT NULL);
        CREATE TABLE plain (a INT, b TEXT)
        """

    @Test func arithmeticIsMySQLs() throws {
        let h = try EngineHarness()
        #expect(try h.rows("SELECT 7/2, 7 DIV 2, -7 DIV 2, 7 % -3, -7 % 3, MOD(7.5, 2), 1/0, 5 DIV 0")
                == [[.real(3.5), .integer(3), .integer(-3), .integer(1), .integer(-1), .real(1.5), .null, .null]])
        #expect(try h.rows("SELECT 20 DIV - - 96 + CAST(90 AS SIGNED), CAST(1.5 AS SIGNED), CAST(-1.5 AS SIGNED), CAST('12abc' AS SIGNED)")
                == [[.integer(90), .integer(2), .integer(-2), .integer(12)]])
        #expect(try h.rows("SELECT 5 ^ 3, 6 & 3, 6 | 3, 1 << 4, ~0 & 255, 1 XOR 1, 1 XOR 0, NULL XOR 1")
                == [[.integer(6), .integer(2), .integer(7), .integer(16), .integer(255), .integer(0), .integer(1), .null]])
        #expect(try h.rows("SELECT CAST(2.675 AS DECIMAL(5,2)), ROUND(2.5), ROUND(-2.5), ROUND(1.2345, 2), TRUNCATE(1.999, 1)")
                == [[.real(2.68), .real(3), .real(-3), .real(1.23), .real(1.9)]])
    }

    @Test func textComparesCaseAndAccentInsensitively() throws {
        let h = try EngineHarness(schema: schema)
        #expect(try h.rows("SELECT 'a' = 'A', 'a' = 'a   ', 'é' = 'E', 'a' < 'B', 'abc' LIKE 'ABC'")
                == [[.integer(1), .integer(1), .integer(1), .integer(1), .integer(1)]])
        try h.ok("INSERT INTO users (name, email) VALUES ('bob', 'B@x'), ('Alice', 'a@x'), ('carl', 'c@x')")
        #expect(try h.rows("SELECT name FROM users WHERE name = 'ALICE'") == [[.text("Alice")]])
        #expect(try h.rows("SELECT name FROM users ORDER BY name") == [[.text("Alice")], [.text("bob")], [.text("carl")]])
        // The unique key is case-insensitive too.
        #expect(h.error("INSERT INTO users (name, email) VALUES ('dup', 'b@X')")?.code == 1062)
    }

    @Test func duplicateKeyErrorsNameTheValue() throws {
        let h = try EngineHarness(schema: schema + ";\nCREATE TABLE pair (a INT, b VARCHAR(8), UNIQUE KEY ab (a, b))")
        try h.ok("INSERT INTO users (id, name, email) VALUES (1, 'bob', 'B@x')")
        try h.ok("INSERT INTO kv VALUES ('Key', 1)")
        try h.ok("INSERT INTO pair VALUES (1, 'x')")
        // Against the table, against an earlier row of the same statement, through the collation,
        // with a bound value, a composite key, a key given as text, in a transaction.
        #expect(h.error("INSERT INTO users (id, name) VALUES (2, 'a'), (1, 'b')")?.message == "Duplicate entry '1' for key 'users.PRIMARY'")
        #expect(h.error("INSERT INTO users (id, name) VALUES (7, 'a'), (7, 'b')")?.message == "Duplicate entry '7' for key 'users.PRIMARY'")
        #expect(h.error("INSERT INTO users (name, email) VALUES ('dup', 'b@X')")?.message == "Duplicate entry 'b@X' for key 'users.by_email'")
        #expect(h.error("INSERT INTO kv (k, v) VALUES ('KEY', 2)")?.message == "Duplicate entry 'KEY' for key 'kv.PRIMARY'")
        #expect(h.error("INSERT INTO pair (b, a) VALUES ('x', 1)")?.message == "Duplicate entry '1-x' for key 'pair.ab'")
        #expect(h.error("INSERT INTO users (id, name) VALUES ('1', 'c')")?.message == "Duplicate entry '1' for key 'users.PRIMARY'")
        #expect(h.run("INSERT INTO users (id, name) VALUES (?, 'd')", bindings: [.integer(1)]).flatMap { if case .failure(let e) = $0 { e.message } else { nil } }
                == "Duplicate entry '1' for key 'users.PRIMARY'")
        try h.ok("BEGIN", session: 2)
        try h.ok("INSERT INTO kv VALUES ('own', 1)", session: 2)
        #expect(h.error("INSERT INTO kv VALUES ('OWN', 2)", session: 2)?.message == "Duplicate entry 'OWN' for key 'kv.PRIMARY'")
        try h.ok("ROLLBACK", session: 2)
        // NULLs never collide; an UPDATE names the key it sets; a key the node cannot work out
        // keeps MySQL's wording without a value.
        try h.ok("INSERT INTO pair VALUES (NULL, 'x'), (NULL, 'x')")
        try h.ok("INSERT INTO users (id, name, email) VALUES (3, 'e', 'e@x')")
        #expect(h.error("UPDATE users SET email = 'x', email = 'b@X' WHERE id = 3")?.message == "Duplicate entry 'b@X' for key 'users.by_email'")
        #expect(h.error("UPDATE users SET email = CONCAT('b', '@x') WHERE id = 3")?.message == "Duplicate entry '' for key 'users.by_email'")
    }

    @Test func functionsFollowMySQL() throws {
        let h = try EngineHarness()
        #expect(try h.rows("SELECT CONCAT('a', 1, 2.50), CONCAT('a', NULL), IF(1 > 0, 'y', 'n'), IFNULL(NULL, 3), COALESCE(NULL, NULL, 'z')")
                == [[.text("a12.5"), .null, .text("y"), .integer(3), .text("z")]])
        #expect(try h.rows("SELECT SUBSTRING('hello', 0), SUBSTRING('hello', 2, 3), SUBSTRING('hello', -3), LEFT('hello', 2), RIGHT('hello', 2), LENGTH('é'), CHAR_LENGTH('é')")
                == [[.text(""), .text("ell"), .text("llo"), .text("he"), .text("lo"), .integer(2), .integer(1)]])
        #expect(try h.rows("SELECT NULLIF(1, 1), GREATEST(1, 5, 3), LEAST('b', 'A'), LOCATE('L', 'hello'), LPAD('7', 3, '0')")
                == [[.null, .integer(5), .text("A"), .integer(3), .text("007")]])
        #expect(h.error("SELECT NO_SUCH_FUNCTION(1)")?.code == 1305)
    }

    @Test func errorsCarryMySQLNumbers() throws {
        let h = try EngineHarness(schema: schema)
        #expect(h.error("SELEC 1")?.code == 1064)
        #expect(h.error("SELECT * FROM missing")?.code == 1146)
        #expect(h.error("SELECT nope FROM users")?.code == 1054)
        #expect(h.error("INSERT INTO users (id, name) VALUES (1, 'a'), (1, 'b')")?.code == 1062)
        #expect(h.error("INSERT INTO users (name, age) VALUES ('a', 300)")?.code == 1264)
        #expect(h.error("INSERT INTO users (name, age) VALUES ('a', -1)")?.code == 1264)
        #expect(h.error("INSERT INTO users (name, age) VALUES ('a', 'abc')")?.code == 1366)
        #expect(h.error("INSERT INTO users (name, age) VALUES ('a', '12abc')")?.code == 1265)
        #expect(h.error("INSERT INTO users (name) VALUES ('much too long')")?.code == 1406)
        #expect(h.error("INSERT INTO users (name) VALUES (NULL)")?.code == 1048)
        #expect(h.error("INSERT INTO users (email) VALUES ('x')")?.code == 1364)
        #expect(h.error("INSERT INTO users (name, name) VALUES ('a', 'b')")?.code == 1110)
        #expect(h.error("INSERT INTO users (name) VALUES ('a', 'b')")?.code == 1136)
        #expect(h.error("INSERT INTO users (name, score) VALUES ('a', 1000)")?.code == 1264)
        #expect(h.error("CREATE TABLE kv (a INT)")?.code == 1050)
        #expect(h.error("SELECT * FROM t WHERE a = ANY (SELECT 1)")?.code == 1235)
        let error = h.error("INSERT INTO users (name, age) VALUES ('a', 'abc')")
        #expect(error?.sqlState == "HY000")
        #expect(error?.message == "Incorrect integer value: 'abc' for column 'age' at row 1")
    }

    @Test func writesConvertValuesAsStrictMySQL() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("INSERT INTO users (name, age, score) VALUES ('a', '42', 1.005), ('b', 12.5, '3.14159'), ('c', ' 7 ', -0.004)")
        #expect(try h.rows("SELECT age, score FROM users ORDER BY id") == [
            [.integer(42), .real(1.01)], [.integer(13), .real(3.14)], [.integer(7), .real(0)],
        ])
    }

    @Test func autoIncrementAndLastInsertID() throws {
        let h = try EngineHarness(schema: schema)
        let first = try h.ok("INSERT INTO users (name) VALUES ('a'), ('b'), ('c')")
        #expect(first.insertID == 1)
        #expect(first.rowsAffected == 3)
        #expect(try h.rows("SELECT LAST_INSERT_ID()") == [[.integer(1)]])
        try h.ok("INSERT INTO users (id, name) VALUES (10, 'd')")
        #expect(try h.rows("SELECT LAST_INSERT_ID()") == [[.integer(1)]])
        #expect(try h.ok("INSERT INTO users (name) VALUES ('e')").insertID == 11)
        // A rolled-back insert burns its id.
        try h.ok("BEGIN")
        try h.ok("INSERT INTO users (name) VALUES ('f')")
        try h.ok("ROLLBACK")
        #expect(try h.ok("INSERT INTO users (id, name) VALUES (0, 'g')").insertID == 13)
        #expect(try h.rows("SELECT id FROM users ORDER BY id") == [1, 2, 3, 10, 11, 13].map { [.integer($0)] })
    }

    @Test func upsertsAndReplaceCountAsMySQL() throws {
        let h = try EngineHarness(schema: schema)
        #expect(try h.ok("INSERT INTO kv VALUES ('a', 1) ON DUPLICATE KEY UPDATE v = v + 1").rowsAffected == 1)
        #expect(try h.ok("INSERT INTO kv VALUES ('A', 5) ON DUPLICATE KEY UPDATE v = v + VALUES(v)").rowsAffected == 2)
        #expect(try h.ok("INSERT INTO kv VALUES ('a', 9) ON DUPLICATE KEY UPDATE v = v").rowsAffected == 0)
        #expect(try h.rows("SELECT k, v FROM kv") == [[.text("a"), .integer(6)]])
        #expect(try h.ok("REPLACE INTO kv VALUES ('a', 7)").rowsAffected == 2)
        #expect(try h.ok("INSERT IGNORE INTO kv VALUES ('a', 8), ('b', 2)").rowsAffected == 1)
        #expect(try h.rows("SELECT k, v FROM kv ORDER BY k") == [[.text("a"), .integer(7)], [.text("b"), .integer(2)]])
    }

    @Test func updateAssignsLeftToRightAndHonoursOrderAndLimit() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("INSERT INTO plain VALUES (1, 'x'), (2, 'y'), (3, 'z')")
        #expect(try h.ok("UPDATE plain SET a = a + 10, b = a WHERE a = 1").rowsAffected == 1)
        #expect(try h.rows("SELECT a, b FROM plain WHERE a = 11") == [[.integer(11), .text("11")]])
        #expect(try h.ok("UPDATE plain SET a = a * 2 ORDER BY a DESC LIMIT 1").rowsAffected == 1)
        #expect(try h.ok("DELETE FROM plain ORDER BY a LIMIT 1").rowsAffected == 1)
        #expect(try h.rows("SELECT a FROM plain ORDER BY a") == [[.integer(3)], [.integer(22)]])
        // ORDER BY without LIMIT is MySQL, not SQLite.
        #expect(try h.ok("UPDATE plain SET b = 'o' ORDER BY a").rowsAffected == 2)
        #expect(try h.ok("DELETE FROM plain WHERE a > 100 ORDER BY a DESC").rowsAffected == 0)
        // An update that changes nothing affects no row.
        #expect(try h.ok("UPDATE plain SET a = 3 WHERE a = 3").rowsAffected == 0)
    }

    @Test func timeAndRandomnessAreVirtualAndSeeded() throws {
        let h = try EngineHarness()
        #expect(try h.rows("SELECT NOW(), CURDATE(), UNIX_TIMESTAMP()") == [[.text("2026-01-01 00:00:00"), .text("2026-01-01"), .integer(1_767_225_600)]])
        h.now = SimTime(nanoseconds: 90_061_000_000_000)
        #expect(try h.rows("SELECT NOW()") == [[.text("2026-01-02 01:01:01")]])
        let a = try h.rows("SELECT RAND(), RAND()")
        let other = try EngineHarness()
        #expect(try other.rows("SELECT RAND(), RAND()") == a)
        #expect(a[0][0] != a[0][1])
    }

    @Test func setOperationsAndSubqueries() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("INSERT INTO plain VALUES (1, 'x'), (2, 'y'), (2, 'y'), (NULL, NULL)")
        #expect(try h.rows("SELECT a FROM plain UNION SELECT 3 ORDER BY 1").count == 4)
        #expect(try h.rows("SELECT a FROM plain WHERE a IS NOT NULL EXCEPT SELECT 1") == [[.integer(2)]])
        #expect(try h.rows("SELECT 1 UNION SELECT 2 INTERSECT SELECT 2") .count == 2)
        #expect(try h.rows("SELECT COUNT(*), COUNT(a), SUM(a), AVG(a), MIN(b), MAX(b) FROM plain")
                == [[.integer(4), .integer(3), .integer(5), .real(5.0 / 3), .text("x"), .text("y")]])
        #expect(try h.rows("SELECT a FROM plain WHERE a IN (SELECT a FROM plain WHERE b = 'y') GROUP BY a") == [[.integer(2)]])
    }

    @Test func insertSelectStarCopiesEveryColumn() throws {
        let h = try EngineHarness(schema: "CREATE TABLE a (x INT, y VARCHAR(5)); CREATE TABLE b (x INT, y VARCHAR(5));")
        try h.ok("INSERT INTO a VALUES (1, 'p'), (2, NULL)")
        try h.ok("INSERT INTO b SELECT * FROM a")
        try h.ok("INSERT INTO b SELECT a.* FROM a WHERE x = 1")
        #expect(try h.rows("SELECT x, y FROM b ORDER BY x, y") == [[.integer(1), .text("p")], [.integer(1), .text("p")], [.integer(2), .null]])
    }
}
