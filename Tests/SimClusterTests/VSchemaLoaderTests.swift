import Foundation
import SimCluster
import Testing

/// Vitess's own VSchemas (conformance data, read in place) load; mistakes are named with a path.
@Suite struct VSchemaLoaderTests {
    static let conformance = VindexVectorTests.root.deletingLastPathComponent().appendingPathComponent("shared/conformance/vitess")

    @Test func thePlannerCorpusVSchemaLoads() throws {
        let data = try Data(contentsOf: Self.conformance.appendingPathComponent("planbuilder/vschemas/schema.json"))
        let schema = try VSchemaLoader.load(data)
        #expect(schema.keyspaceNames.contains("user") && schema.keyspaceNames.contains("main"))
        let user = try #require(schema.keyspaces["user"])
        #expect(user.sharded)
        #expect(user.vindexes["user_index"]?.kind.function == .hash)
        #expect(user.tables["user"]?.columnVindexes.first?.vindex == "user_index")
        #expect(user.tables["user"]?.autoIncrement?.sequence == "seq")
        #expect(user.tables["ref"]?.kind == .reference)
        #expect(schema.keyspaces["main"]?.sharded == false)
        // What it cannot act on is named, not ignored.
        #expect(schema.notices.contains { $0.contains("routing_rules") })
        #expect(schema.notices.contains { $0.contains("type cfc") })
        #expect(schema.notices.contains { $0.contains("foreignKeyMode") })
    }

    @Test func theVtexplainVSchemaLoads() throws {
        let data = try Data(contentsOf: Self.conformance.appendingPathComponent("vtexplain/test-vschema.json"))
        let schema = try VSchemaLoader.load(data)
        #expect(schema.keyspaceNames == ["ks_sharded", "ks_unsharded"])
        let sharded = try #require(schema.keyspaces["ks_sharded"])
        #expect(sharded.tables.count == 14)
        #expect(sharded.vindexes.values.contains { $0.kind.typeName == "lookup_hash_unique" && $0.kind.isUnique && $0.kind.cost == 10 })
    }

    @Test(arguments: [
        (#"{"sharded": true, "vindexes": {"v": {"type": "nope"}}}"#, "keyspaces.ks.vindexes.v.type: vindex type 'nope' not found"),
        (#"{"sharded": true, "tables": {"t": {}}}"#, "keyspaces.ks.tables.t: missing primary col vindex for table: t"),
        (#"{"sharded": true, "vindexes": {"l": {"type": "lookup"}}, "tables": {"t": {"column_vindexes": [{"column": "a", "name": "l"}]}}}"#,
         "primary vindex l is not Unique for table t"),
        (#"{"sharded": true, "tables": {"t": {"column_vindexes": [{"column": "a", "name": "missing"}]}}}"#, "vindex missing not found"),
        (#"{"sharded": true, "shards": 3}"#, "unknown keyspace field 'shards'"),
        (#"[1, 2]"#, "expected a JSON object"),
        (#"{"#, "not JSON"),
    ])
    func mistakesAreNamedWithTheirPath(json: String, message: String) {
        #expect(throws: VSchemaError.self) { try VSchemaLoader.load(Data(json.utf8), keyspace: "ks") }
        do {
            _ = try VSchemaLoader.load(Data(json.utf8), keyspace: "ks")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
