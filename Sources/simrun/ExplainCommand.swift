import ArgumentParser
import Foundation
import Scenarios
import SimCluster
import SQLSyntax

/// `simrun explain`: what the gateway sends to which shard, in vtexplain's format.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print, per statement, the queries the gateway sends to each shard (vtexplain's format).",
        discussion: """
            Shards answer like vtexplain's fake tablets (one synthetic row per SELECT), so joins and \
            lookups proceed as they would there. Statements run in one session: BEGIN ... COMMIT \
            hold together.
            """)

    @Option(help: "The VSchema (Vitess's JSON).")
    var vschema: String

    @Option(help: "The schema: CREATE TABLE statements.")
    var schema: String

    // Shard names start with a dash: the value is taken whatever it looks like.
    @Option(parsing: .unconditional, help: "Shard names of the sharded keyspaces, comma-separated (\"-40,40-80,80-c0,c0-\").")
    var shards: String?

    @Option(help: "Split the sharded keyspaces into this many even shards.")
    var shardCount: Int?

    @Option(help: "Send every statement to one shard, as a targeted session does (\"ks/-80\").")
    var target: String?

    @Option(help: "A file of statements separated by ';'.")
    var file: String?

    @Argument(help: "Statements, when no --file is given.")
    var sql: [String] = []

    func validate() throws {
        guard (shards == nil) != (shardCount == nil) else { throw ValidationError("give exactly one of --shards and --shard-count") }
        if let shardCount, shardCount < 1 || shardCount > 256 { throw ValidationError("--shard-count must be between 1 and 256") }
        guard (file == nil) != sql.isEmpty else { throw ValidationError("give statements or --file, not both") }
        if let target, !target.contains("/") { throw ValidationError("--target takes keyspace/shard") }
    }

    func run() throws {
        let vschemaData = try Data(contentsOf: URL(fileURLWithPath: vschema))
        let loaded: VSchema
        do { loaded = try VSchemaLoader.load(vschemaData) } catch {
            throw ScenarioError(at: SourceLocation(file: vschema, line: 0, column: 0), "\(error)")
        }
        let names = shards.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            ?? KeyRange.evenShardNames(shardCount ?? 1)
        for name in names where KeyRange(shardName: name) == nil {
            throw ValidationError("'\(name)' is not a shard name (hex bounds such as -40, 40-80, 80-)")
        }
        let targeted = target.map { t -> (keyspace: String, shard: String) in
            let parts = t.split(separator: "/", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        let explainer = try Explainer(vschema: loaded, schema: String(contentsOfFile: schema, encoding: .utf8), shards: names, target: targeted)
        let statements = try file.map { try SQLScript.statements(String(contentsOfFile: $0, encoding: .utf8)) } ?? sql
        print(Explainer.format(explainer.explain(statements)), terminator: "")
    }
}
