@testable import SimCluster
import SQLSyntax
import Testing

/// The gateway plans a statement's shape once, with its literals as bind variables `:vtgN` (as
/// vtgate normalizes queries), and each statement of that shape routes by its own values and
/// reaches its shard with its literals back in the text.
@Suite struct GatewayShapeTests {
    @Test func statementsOfOneShapeShareAPlanAndRouteByTheirOwnValues() throws {
        let f = try GatewayEngineTests.Fixture()
        let map = try f.cluster.shardMap(for: "ks")
        for id in [3, 17, 29] {
            f.cluster.log = []
            f.cluster.logging = true
            let rows = try f.compare("SELECT name, score FROM users WHERE id = \(id)")
            f.cluster.logging = false
            #expect(rows.count == 1)
            // One shard: the one the id hashes to, with the id as a literal.
            let keyspaceID = try #require(FunctionalVindex.hash.keyspaceID(.signed(Int64(id))))
            #expect(f.cluster.log.map(\.shard) == (try map.resolve(.keyspaceID(keyspaceID))))
            #expect(f.cluster.log.first?.sql.contains("id = \(id)") == true)
        }
        _ = try f.compare("SELECT name FROM users WHERE id IN (4, 9)")
        _ = try f.compare("SELECT id FROM users WHERE name = 'ann' AND score > 10")
        _ = try f.compare("SELECT 1, 2 FROM users WHERE id = 5")
        // The mechanism ran: the inserts and the point selects each share one planned shape.
        let plans = f.executor.shapes.entries.values.filter { if case .plan = $0 { true } else { false } }
        #expect(plans.count >= 2)
        #expect(f.executor.shapes.entries.count < 10)
    }

    /// A shape's shard statement is printed once and its values spliced in: the same text as
    /// substituting them and printing the whole statement, or no template when that cannot be sure.
    @Test func aPrintedTemplateGivesTheTextOfTheBoundStatement() throws {
        let statement = try SQLParser.parse("SELECT name FROM users WHERE id = :vtg1 AND name = :vtg2 OR score IN (:vtg3, 4)")
        let values: BindVariables = ["vtg1": .value(.integer(7)), "vtg2": .value(.text("it's")), "vtg3": .value(.integer(12))]
        let template = try #require(PrintedTemplate(statement))
        #expect(template.names == ["vtg1", "vtg2", "vtg3"])
        #expect(template.filled(values) == SQLPrinter().print(BindVariableSubstitution.statement(statement, values)))
        #expect(template.filled(["vtg1": .value(.integer(7))]) == nil)
        // ':vtg1' inside a string would be taken for a bind variable: no template.
        #expect(PrintedTemplate(try SQLParser.parse("SELECT name FROM users WHERE id = :vtg1 AND name = 'x:vtg1'")) == nil)
        #expect(PrintedTemplate(try SQLParser.parse("SELECT name FROM users WHERE id = :other")) == nil)
        #expect(PrintedTemplate(try SQLParser.parse("SELECT name FROM users WHERE id = 3")) == nil)
    }
}
