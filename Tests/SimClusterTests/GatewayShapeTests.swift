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
}
