import SimCluster
import SQLSyntax
import Testing

/// Statements that differ only in their literals run as one template with the literals bound,
/// and answer exactly as the text would; shapes where binding would change the meaning run as text.
@Suite struct StatementShapeTests {
    let schema = "CREATE TABLE kv (k BIGINT PRIMARY KEY, v VARCHAR(16) NOT NULL, n INT NOT NULL DEFAULT 0)"

    @Test func statementsOfOneShapeShareATemplateAndAnswerAsText() throws {
        let h = try EngineHarness(schema: schema)
        for k in 1...20 { try h.ok("INSERT INTO kv (k, v, n) VALUES (\(k), 'v\(k)', \(k * 10))") }
        try h.ok("UPDATE kv SET n = n + 5, v = 'x' WHERE k = 3")
        try h.ok("UPDATE kv SET n = n + 7, v = 'y' WHERE k = 4")
        try h.ok("DELETE FROM kv WHERE k = 20")
        #expect(try h.rows("SELECT v, n FROM kv WHERE k = 3") == [[.text("x"), .integer(35)]])
        #expect(try h.rows("SELECT v, n FROM kv WHERE k = 4") == [[.text("y"), .integer(47)]])
        #expect(try h.rows("SELECT COUNT(*) FROM kv WHERE k > 15") == [[.integer(4)]])
        // A string compared with an integer column converts as in the text.
        #expect(try h.rows("SELECT v FROM kv WHERE k = '7'") == [[.text("v7")]])
        // Errors carry the literal's value.
        #expect(h.error("INSERT INTO kv (k, v, n) VALUES (3, 'dup', 1)")?.code == 1062)
        #expect(h.error("INSERT INTO kv (k, v, n) VALUES (99, 'far too long a value', 1)")?.code == 1406)
        // The mechanism ran: one shape per statement kind, every statement but the first of each from a template.
        #expect(h.engine.templatedStatements >= 26)
        #expect(h.engine.shapeCounts.templates <= 8)
    }

    @Test func literalsThatNameOrPlaceColumnsAreNotBound() throws {
        let h = try EngineHarness(schema: schema)
        for k in 1...3 { try h.ok("INSERT INTO kv (k, v, n) VALUES (\(k), 'v\(k)', \(4 - k))") }
        let before = h.engine.shapeCounts.refused
        // `SELECT 1` names its column "1"; ORDER BY 2 is the second column; GROUP BY 1 the first.
        #expect(try h.ok("SELECT 1, 2 FROM kv WHERE k = 1").columns == ["1", "2"])
        #expect(try h.rows("SELECT k, n FROM kv WHERE k > 0 ORDER BY 2") == [[.integer(3), .integer(1)], [.integer(2), .integer(2)], [.integer(1), .integer(3)]])
        #expect(try h.rows("SELECT n, COUNT(*) FROM kv WHERE k < 3 GROUP BY 1 ORDER BY 1") == [[.integer(2), .integer(1)], [.integer(3), .integer(1)]])
        #expect(try h.rows("SELECT v FROM kv WHERE k IN (SELECT 2)") == [[.text("v2")]])
        #expect(h.engine.shapeCounts.refused == before + 4)
    }

    /// A cluster's nodes share their shapes: a shape met on one node runs as a template on the
    /// next without being worked out again.
    @Test func nodesSharingShapesWorkEachOutOnce() throws {
        let first = try EngineHarness(schema: schema)
        let second = try EngineHarness(schema: schema)
        second.storage.shapes = first.storage.shapes
        try first.ok("INSERT INTO kv (k, v) VALUES (1, 'a')")
        let met = first.storage.shapes.counts
        try second.ok("INSERT INTO kv (k, v) VALUES (2, 'b')")
        #expect(second.storage.shapes.counts == met)
        #expect(second.engine.templatedStatements == 1)
        #expect(try second.rows("SELECT k, v FROM kv") == [[.integer(2), .text("b")]])
    }

    /// A node restored from another's set-up holds the same data, schema and counters.
    @Test func aRestoredNodeMatchesOneThatRanTheSetUp() throws {
        let setUp = schema + "; CREATE TABLE seq (id INT PRIMARY KEY AUTO_INCREMENT, s VARCHAR(8), UNIQUE KEY (s)); INSERT INTO seq (s) VALUES ('a'), ('b'); INSERT INTO kv (k, v) VALUES (5, 'x')"
        let original = try EngineHarness(schema: setUp)
        let restored = try EngineHarness()
        try restored.storage.restore(from: original.storage)
        #expect(try restored.storage.checksums().map(\.checksum) == original.storage.checksums().map(\.checksum))
        #expect(try restored.storage.checksums().map(\.rows) == [1, 2])
        for h in [original, restored] {
            #expect(try h.ok("INSERT INTO seq (s) VALUES ('c')").insertID == 3)
            #expect(h.error("INSERT INTO seq (s) VALUES ('A')")?.code == 1062)
        }
        #expect(try restored.storage.checksums().map(\.checksum) == original.storage.checksums().map(\.checksum))
    }
}
