import SQLSyntax
import Testing

/// Plain literals come out of statements; literals that are not plain values stay in.
@Suite struct LiteralNormalizerTests {
    @Test func plainIntegersAndStringsBecomePlaceholders() throws {
        let n = try #require(LiteralNormalizer.normalize("INSERT INTO t (a, b, c) VALUES (5, 'x''y', -7) /* c */"))
        #expect(n.shape == "INSERT INTO t (a, b, c) VALUES (?, ?, -?) /* c */")
        #expect(n.literals == [.integer(5), .string("x'y"), .integer(7)])
        #expect(n.filled(with: [.integer(1), .string("it's"), .integer(2)]) == "INSERT INTO t (a, b, c) VALUES (1, 'it''s', -2) /* c */")
    }

    @Test(arguments: [
        ("SELECT a FROM t WHERE b = 1 LIMIT 2, 3", "SELECT a FROM t WHERE b = ? LIMIT 2, 3"),
        ("SELECT a FROM t WHERE b = 1 LIMIT 2 OFFSET 3", "SELECT a FROM t WHERE b = ? LIMIT 2 OFFSET 3"),
        ("SELECT a FROM t WHERE b = 'x' 'y' AND c = 4", "SELECT a FROM t WHERE b = ? AND c = ?"),
        ("SELECT a FROM t WHERE b = _utf8mb4'x' AND d = DATE '2024-01-01' AND e = 2", "SELECT a FROM t WHERE b = _utf8mb4'x' AND d = DATE '2024-01-01' AND e = ?"),
        ("SELECT a FROM t WHERE b = 1.5 AND c = 0x1F AND d = 99999999999999999999 AND e = 3", "SELECT a FROM t WHERE b = 1.5 AND c = 0x1F AND d = 99999999999999999999 AND e = ?"),
    ])
    func literalsThatAreNotPlainValuesStay(sql: String, shape: String) throws {
        #expect(try #require(LiteralNormalizer.normalize(sql)).shape == shape)
    }

    @Test func statementsWithoutLiteralsOrWithParametersAreLeftAlone() {
        #expect(LiteralNormalizer.normalize("BEGIN") == nil)
        #expect(LiteralNormalizer.normalize("SELECT a FROM t WHERE b = ? AND c = 1") == nil)
        #expect(LiteralNormalizer.normalize("SELECT a FROM t WHERE b = 'unterminated") == nil)
    }
}
