import Foundation
import Scenarios
import SimCluster
import SQLSyntax
import Testing

/// vtexplain's recorded outputs: for each statement, the shards our gateway sends queries to
/// against the shards Vitess sent them to.
@Suite struct VTExplainCorpusTests {
    static let folder = Paths.conformance.appendingPathComponent("vitess/vtexplain")

    /// Agreeing statements and all statements of one `NAME-queries.sql` / `NAME-output.txt` pair.
    static func agreement(_ name: String) throws -> (agree: Int, total: Int, differing: [String]) {
        let vschema = try VSchemaLoader.load(Data(contentsOf: folder.appendingPathComponent("test-vschema.json")))
        let schema = try String(contentsOf: folder.appendingPathComponent("test-schema.sql"), encoding: .utf8)
        var keyspaceShards: [String: [String]] = [:]
        var target: (keyspace: String, shard: String)?
        if name.hasPrefix("uneven-keyspace") { keyspaceShards["ks_sharded"] = ["-80", "80-90", "90-a0", "a0-e8", "e8-"] }
        if name.hasPrefix("target") { target = ("ks_sharded", "40-80") }
        let explainer = try Explainer(vschema: vschema, schema: schema, shards: ["-40", "40-80", "80-c0", "c0-"],
                                      keyspaceShards: keyspaceShards, target: target)
        let statements = try SQLScript.statements(String(contentsOf: folder.appendingPathComponent("\(name)-queries.sql"), encoding: .utf8))
        let expected = Explainer.expected(try String(contentsOf: folder.appendingPathComponent("\(name)-output.txt"), encoding: .utf8))
        let blocks = explainer.explain(statements)
        var agree = 0
        var differing: [String] = []
        for (block, wanted) in zip(blocks, expected) {
            if block.shards == wanted.shards {
                agree += 1
            } else {
                differing.append("\(block.sql.prefix(90)): \(block.shards) vs \(wanted.shards)\(block.error.map { " (\($0.message))" } ?? "")")
            }
        }
        return (agree, expected.count, differing)
    }

    static let files = ["selectsharded", "insertsharded", "updatesharded", "deletesharded", "unsharded", "target", "uneven-keyspace"]

    @Test func shardSetsAgree() throws {
        var agree = 0
        var total = 0
        for file in Self.files {
            let (a, t, differing) = try Self.agreement(file)
            agree += a
            total += t
            print("vtexplain \(file): \(a)/\(t) statements reach the same shards" + differing.prefix(3).map { "\n  \($0)" }.joined())
        }
        print("vtexplain: \(agree)/\(total) statements reach the same shards")
        #expect(total == 78 && agree == total)
    }
}
