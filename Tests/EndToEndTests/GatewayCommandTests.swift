import Foundation
import Testing

/// `simrun explain` and `simrun slt` as users run them: output, exit status, bad input.
@Suite struct GatewayCommandTests {
    static let vtexplain = "../shared/conformance/vitess/vtexplain"

    @Test func explainPrintsVTExplainBlocks() throws {
        let result = try Simrun.run(["explain", "--vschema", "\(Self.vtexplain)/test-vschema.json", "--schema", "\(Self.vtexplain)/test-schema.sql",
                                     "--shards=-40,40-80,80-c0,c0-", "select * from user where id = 1", "select * from user where name = 'bob'"])
        #expect(result.status == 0, "\(result.stderr)")
        let blocks = result.stdout.components(separatedBy: String(repeating: "-", count: 70) + "\n").dropFirst()
        #expect(blocks.count == 2)
        #expect(blocks.first?.contains("1 ks_sharded/-40: ") == true)
        // The lookup table is read first, on the shard its md5 vindex names.
        #expect(blocks.last?.contains("1 ks_sharded/c0-: SELECT name, user_id FROM name_user_map") == true, "\(result.stdout)")
        // Shard names start with a dash; the option takes them as its value when written apart too.
        let apart = try Simrun.run(["explain", "--vschema", "\(Self.vtexplain)/test-vschema.json", "--schema", "\(Self.vtexplain)/test-schema.sql",
                                    "--shards", "-40,40-80,80-c0,c0-", "select * from user where id = 1"])
        #expect(apart.status == 0 && apart.stdout.contains("1 ks_sharded/-40: "), "\(apart.stderr)")
    }

    @Test func explainRefusesBadShardNames() throws {
        let result = try Simrun.run(["explain", "--vschema", "\(Self.vtexplain)/test-vschema.json", "--schema", "\(Self.vtexplain)/test-schema.sql",
                                     "--shards", "zz-40", "select 1"])
        #expect(result.status == 2 && result.stderr.contains("not a shard name"))
    }

    @Test func sltReportsWrongResultsWithExitStatusOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slt-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.test")
        let bad = folder.appendingPathComponent("bad.test")
        let setup = "statement ok\nCREATE TABLE t(a INTEGER, b VARCHAR(5))\n\nstatement ok\nINSERT INTO t VALUES(1,'x'),(2,'y'),(3,'z')\n\n"
        try (setup + "query IT rowsort\nSELECT a, b FROM t WHERE a > 1\n----\n2\ny\n3\nz\n").write(to: good, atomically: true, encoding: .utf8)
        try (setup + "query I nosort\nSELECT COUNT(*) FROM t\n----\n4\n").write(to: bad, atomically: true, encoding: .utf8)
        let passing = try Simrun.run(["slt", good.path, "--shards", "3"])
        #expect(passing.status == 0 && passing.stdout.hasSuffix("3 passed, 0 failed, 0 skipped\n"), "\(passing.stdout)")
        let failing = try Simrun.run(["slt", bad.path, "--shards", "3"])
        #expect(failing.status == 1 && failing.stdout.contains("wrong at line 7"), "\(failing.stdout)")
        let missing = try Simrun.run(["slt", folder.appendingPathComponent("none.test").path])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
    }
}
