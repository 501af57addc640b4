import SQLSyntax
import Testing

@Suite struct ParserTests {
    func expression(_ text: String) throws -> SQLExpression { try SQLParser.parseExpression(text) }
    func mysql(_ text: String) throws -> String { SQLPrinter().print(try SQLParser.parse(text)) }
    func sqlite(_ text: String) throws -> String { SQLPrinter(dialect: .sqlite).print(try SQLParser.parse(text)) }

    @Test(arguments: [
        ("1 + 2 * 3", "1 + 2 * 3"),
        ("(1 + 2) * 3", "(1 + 2) * 3"),
        ("1 - (2 - 3)", "1 - (2 - 3)"),
        ("1 - 2 - 3", "1 - 2 - 3"),
        ("NOT a = b", "NOT a = b"),
        ("!a = b", "(NOT a) = b"),
        ("a OR b AND c", "a OR b AND c"),
        ("(a OR b) AND c", "(a OR b) AND c"),
        ("a XOR b OR c", "a XOR b OR c"),
        ("- - 96", "- -96"),
        ("- (1 + 2)", "-(1 + 2)"),
        ("a | b & c", "a | b & c"),
        ("2 ^ 3 * 4", "2 ^ 3 * 4"),
        ("-2 ^ 3", "-2 ^ 3"),
        ("a = b = c", "a = b = c"),
        ("a BETWEEN 1 AND 2 AND b", "a BETWEEN 1 AND 2 AND b"),
        ("x IS NOT NULL AND y IS TRUE", "x IS NOT NULL AND y IS TRUE"),
        ("a NOT IN (1, 2)", "a NOT IN (1, 2)"),
        ("a || b", "a OR b"),
        ("a && b", "a AND b"),
        ("20 DIV - - 96", "20 DIV - -96"),
        ("10 % 3 MOD 2", "10 MOD 3 MOD 2"),
        ("CAST(90 AS SIGNED)", "CAST(90 AS SIGNED)"),
        ("CAST(x AS DECIMAL(10, 2))", "CAST(x AS DECIMAL(10,2))"),
        ("COUNT(*) + COUNT(DISTINCT a) + MIN(ALL + - 30)", "COUNT(*) + COUNT(DISTINCT a) + MIN(+-30)"),
        ("CASE WHEN a THEN 1 ELSE 2 END", "CASE WHEN a THEN 1 ELSE 2 END"),
        ("CASE a WHEN 1 THEN 'x' END", "CASE a WHEN 1 THEN 'x' END"),
        ("'it''s' 'joined'", "'it''sjoined'"),
        ("'a\\nb'", "'a\\nb'"),
        ("0x1F + X'AB'", "X'1F' + X'AB'"),
        ("1.50 + .5 + 1e3", "1.50 + 0.5 + 1000.0e0"),
        ("18446744073709551615", "18446744073709551615"),
        ("t.c + ks.t.c + `odd name`", "t.c + ks.t.c + `odd name`"),
        ("x LIKE 'a%' ESCAPE '!'", "x LIKE 'a%' ESCAPE '!'"),
        ("IF(a > 0, 'p', 'n')", "IF(a > 0, 'p', 'n')"),
        ("a <=> NULL", "a <=> NULL"),
        ("(a, b) = (1, 2)", "(a, b) = (1, 2)"),
        ("@x + @@autocommit", "@x + @@autocommit"),
        ("GROUP_CONCAT(DISTINCT a ORDER BY a DESC SEPARATOR ';')", "GROUP_CONCAT(DISTINCT a ORDER BY a DESC SEPARATOR ';')"),
        ("x COLLATE utf8mb4_bin = 'A'", "x COLLATE utf8mb4_bin = 'A'"),
        ("_binary 'ab'", "X'6162'"),
        ("id IN ::vals", "id IN ::vals"),
    ])
    func expressionsPrintWithTheParenthesesTheyNeed(input: String, printed: String) throws {
        let tree = try expression(input)
        #expect(SQLPrinter().print(tree) == printed)
        #expect(try expression(printed) == tree)
    }

    @Test func precedenceShapesTheTree() throws {
        #expect(try expression("1 + 2 * 3") == .binary(.add, .integer(1), .binary(.multiply, .integer(2), .integer(3))))
        #expect(try expression("NOT 1 = 2") == .unary(.not, .binary(.equal, .integer(1), .integer(2))))
        #expect(try expression("!1 = 2") == .binary(.equal, .unary(.not, .integer(1)), .integer(2)))
        #expect(try expression("a OR b AND c") == .binary(.or, .column("a"), .binary(.and, .column("b"), .column("c"))))
        #expect(try expression("-2 ^ 2") == .binary(.bitXor, .unary(.minus, .integer(2)), .integer(2)))
        #expect(try expression("?") == .parameter(name: nil, index: 0))
        #expect(try expression(":v") == .parameter(name: "v", index: -1))
    }

    @Test(arguments: [
        "SELECT DISTINCT a, b AS c, t.* FROM t AS x JOIN u ON x.id = u.id LEFT JOIN v USING (id) WHERE a > 1 GROUP BY a HAVING COUNT(*) > 1 ORDER BY a DESC LIMIT 5, 10",
        "SELECT a FROM t WHERE b IN (SELECT b FROM u) AND EXISTS (SELECT 1 FROM v) AND c = (SELECT MAX(c) FROM w)",
        "SELECT * FROM (SELECT a FROM t) AS d, u CROSS JOIN v",
        "SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 ASC LIMIT 3",
        "SELECT a FROM t UNION (SELECT b FROM u INTERSECT SELECT c FROM v)",
        "(SELECT a FROM t ORDER BY a ASC LIMIT 1) UNION SELECT b FROM u",
        "SELECT a FROM t FOR UPDATE",
        "SELECT a FROM t LOCK IN SHARE MODE",
        "INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL)",
        "INSERT IGNORE INTO ks.t VALUES (1)",
        "INSERT INTO t (a) SELECT b FROM u",
        "INSERT INTO t (a, b) VALUES (1, 2) ON DUPLICATE KEY UPDATE b = VALUES(b) + 1",
        "REPLACE INTO t (a) VALUES (1)",
        "UPDATE t SET a = a + 1, b = 'x' WHERE id = 3 ORDER BY id ASC LIMIT 2",
        "UPDATE t AS u SET u.a = 1 WHERE u.b = 2",
        "DELETE FROM t WHERE a < 0 ORDER BY a DESC LIMIT 1",
        "CREATE TABLE IF NOT EXISTS t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, name VARCHAR(64) NOT NULL DEFAULT '', score DECIMAL(10,2) DEFAULT 0.00, PRIMARY KEY (id), UNIQUE KEY by_name (name), KEY by_score (score)) ENGINE=InnoDB",
        "CREATE UNIQUE INDEX i ON t (a, b DESC)",
        "DROP TABLE IF EXISTS t, u",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT s1",
        "ROLLBACK TO SAVEPOINT s1",
        "RELEASE SAVEPOINT s1",
        "SET transaction_mode = 'twopc', @x = 3",
        "SHOW VITESS_SHARDS",
    ])
    func statementsRoundTrip(text: String) throws {
        let statement = try SQLParser.parse(text)
        let printed = SQLPrinter().print(statement)
        #expect(try SQLParser.parse(printed) == statement, "\(printed)")
    }

    @Test func statementDetails() throws {
        guard case .insert(let insert) = try SQLParser.parse("insert into t set a = 1, b = 'x'") else { Issue.record("not an insert"); return }
        #expect(insert.columns == ["a", "b"])
        #expect(insert.source == .values([[.integer(1), .string("x")]]))

        guard case .createTable(let create) = try SQLParser.parse(
            "create table t (id int primary key, email varchar(32) unique, n int unsigned zerofill) engine=InnoDB default charset=utf8mb4")
        else { Issue.record("not a create"); return }
        #expect(create.primaryKey == ["id"])
        #expect(create.uniqueKeys.map(\.columns) == [["email"]])
        #expect(create.columns[2].type.unsigned && create.columns[2].type.zerofill)
        #expect(create.options == ["ENGINE=InnoDB", "DEFAULT CHARSET=utf8mb4"])

        #expect(try SQLParser.parse("USE `ks:-80@replica`") == .use(UseStatement(keyspace: "ks", shard: "-80", tabletType: "replica")))
        #expect(try SQLParser.parse("use ks@primary") == .use(UseStatement(keyspace: "ks", tabletType: "primary")))
        #expect(try SQLParser.parse("start transaction read write") == .begin)
        #expect(try SQLParser.parse("select 1 from dual") == .select(.select(SelectStatement(columns: [.expression(.integer(1), alias: nil)]))))
        #expect(try SQLParser.parseScript("select 1; /* ; */ select 2;\n-- done\n").count == 2)
        guard case .select(let limited) = try SQLParser.parse("select a from t limit ?, ?"),
              case .select(let select) = limited else { Issue.record("not a select"); return }
        #expect(select.limit == Limit(count: .parameter(name: nil, index: 1), offset: .parameter(name: nil, index: 0)))
    }

    @Test(arguments: [
        ("select * frm t", 10, "frm t"),
        ("select * from t where", 22, ""),
        ("selec 1", 1, "selec 1"),
        ("select 'abc", 8, "'abc"),
        ("select (1 + 2", 14, ""),
        ("select 1 +", 11, ""),
        ("insert into t values (1", 24, ""),
        ("select a from t limit 'x'", 23, "'x'"),
    ])
    func syntaxErrorsNameTheirPosition(text: String, position: Int, near: String) {
        do {
            _ = try SQLParser.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(!error.unsupported)
            #expect(error.offset + 1 == position, "\(error)")
            #expect(error.near == near, "\(error)")
            #expect(error.description.hasPrefix("syntax error at position \(position)"))
        }
    }

    @Test(arguments: [
        ("with c as (select 1) select * from c", "WITH"),
        ("select rank() over (order by a) from t", "window functions"),
        ("update t, u set t.a = u.a", "multi-table UPDATE"),
        ("delete t from t join u", "multi-table DELETE"),
        ("create table t (a int, foreign key (a) references u (b))", "FOREIGN KEY"),
        ("select a into @x from t", "SELECT ... INTO"),
        ("select * from t where a = any (select b from u)", "ANY"),
        ("alter table t add column b int", "ALTER TABLE"),
        ("select * from t use vindex (v)", "vindex hints"),
        ("create view v as select 1", "views"),
    ])
    func unsupportedConstructsAreRefusedByName(text: String, construct: String) {
        do {
            _ = try SQLParser.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.unsupported, "\(error)")
            #expect(error.message.contains(construct), "\(error)")
        }
    }

    @Test func sqliteDialectKeepsMySQLMeaning() throws {
        #expect(try sqlite("select 7 / 2, 7 div 2, 7 % 2, 5 ^ 3") == #"SELECT (CAST(7 AS REAL) / 2), mysql_div(7, 2), mysql_mod(7, 2), mysql_bitxor(5, 3)"#)
        #expect(try sqlite("select 'a' = 'A', a = 'A' from t") == #"SELECT ('a' COLLATE mysql_ci) = 'A', "a" = 'A' FROM "t""#)
        #expect(try sqlite("select * from t where a like 'x\\_%'") == #"SELECT * FROM "t" WHERE "a" LIKE 'x\_%' ESCAPE '\'"#)
        #expect(try sqlite("select cast(x as signed), cast(x as decimal(5,2)), cast(x as char) from t")
                == #"SELECT mysql_cast_signed("x"), mysql_cast_decimal("x", 5, 2), mysql_cast_char("x") FROM "t""#)
        #expect(try sqlite("select a <=> null, true, a xor b from t") == #"SELECT "a" IS NULL, 1, mysql_xor("a", "b") FROM "t""#)
        #expect(try sqlite("select a from t limit 2, 3") == #"SELECT "a" FROM "t" LIMIT 3 OFFSET 2"#)
        #expect(try sqlite("insert ignore into ks.t values (1)") == #"INSERT OR IGNORE INTO "t" VALUES (1)"#)
        // SQLite evaluates set operations left to right and takes no parenthesized members.
        #expect(try sqlite("select 1 union select 2 intersect select 3")
                == "SELECT 1 UNION SELECT * FROM (SELECT 2 INTERSECT SELECT 3)")
        #expect(try sqlite("(select a from t order by a limit 1) union all select b from u")
                == #"SELECT * FROM (SELECT "a" FROM "t" ORDER BY "a" ASC LIMIT 1) UNION ALL SELECT "b" FROM "u""#)
        #expect(try sqlite("select a from t where (a, b) in ((1, 2), (3, 4))")
                == #"SELECT "a" FROM "t" WHERE ("a", "b") IN (VALUES (1, 2), (3, 4))"#)
    }
}
