import Foundation
import SimCluster
import SQLSyntax

/// What the gateway sends to which shard for each statement, in vtexplain's format: over shards
/// that answer like vtexplain's fake tablets (`ExplainCursor`), with a session that holds BEGIN
/// ... COMMIT together (COMMIT goes to every shard the transaction touched).
public final class Explainer {
    /// One statement's explanation.
    public struct Block: Sendable {
        public let sql: String
        public let entries: [ExplainCursor.Entry]
        public let error: MySQLError?

        /// `keyspace/shard` of every query, each once, sorted.
        public var shards: [String] { Array(Set(entries.map { "\($0.query.keyspace)/\($0.query.shard)" })).sorted() }
    }

    let executor: GatewayExecutor
    let cursor: ExplainCursor
    var transaction: [ShardQuery]?

    /// `shards` names the shards of sharded keyspaces (an unsharded keyspace has the one shard `-`);
    /// `target` sends every statement to one shard, as a session targeted at `keyspace/shard` does.
    public init(vschema: VSchema, schema: String, shards: [String], keyspaceShards: [String: [String]] = [:],
                target: (keyspace: String, shard: String)? = nil) throws {
        var tables: [CreateTableStatement] = []
        var columns = SchemaColumns(vschema: vschema)
        for statement in try SQLParser.parseScript(schema) {
            guard case .createTable(let create) = statement else { continue }
            tables.append(create)
            columns.apply(.createTable(create))
        }
        var shardNames: [String: [String]] = [:]
        for name in vschema.keyspaceNames {
            shardNames[name] = keyspaceShards[name] ?? (vschema.keyspaces[name]?.sharded == true ? shards : ["-"])
        }
        cursor = try ExplainCursor(shards: shardNames, tables: tables)
        let defaultKeyspace = target?.keyspace ?? vschema.keyspaceNames.first { vschema.keyspaces[$0]?.sharded == true }
        executor = GatewayExecutor(vschema: vschema, schema: columns, defaultKeyspace: defaultKeyspace)
        executor.target = target.map { ($0.keyspace, $0.shard) }
    }

    /// Explains the statements one after the other, in one session.
    public func explain(_ statements: [String]) -> [Block] {
        statements.map(explain)
    }

    public func explain(_ sql: String) -> Block {
        cursor.clear()
        let statement = try? SQLParser.parse(sql)
        switch statement {
        case .begin?:
            transaction = []
            return Block(sql: sql, entries: [], error: nil)
        case .commit?, .rollback?:
            // Each shard of the transaction finishes in turn, in the order it joined.
            var seen: Set<String> = []
            for q in transaction ?? [] where seen.insert("\(q.keyspace)/\(q.shard)").inserted {
                cursor.note([ShardQuery(keyspace: q.keyspace, shard: q.shard, sql: statement == .commit ? "commit" : "rollback")])
            }
            transaction = nil
            return Block(sql: sql, entries: cursor.log, error: nil)
        default:
            var outcome: Result<QueryResult, MySQLError>?
            executor.execute(sql, cursor: cursor) { outcome = $0 }
            if transaction != nil { transaction! += cursor.log.map(\.query).filter { !$0.autocommit } }
            if case .failure(let error)? = outcome { return Block(sql: sql, entries: cursor.log, error: error) }
            return Block(sql: sql, entries: cursor.log, error: nil)
        }
    }

    /// vtexplain's text: per statement a separator, the statement, and `time keyspace/shard: sql` lines.
    public static func format(_ blocks: [Block]) -> String {
        var text = ""
        for block in blocks {
            text += String(repeating: "-", count: 70) + "\n" + block.sql + "\n\n"
            for e in block.entries { text += "\(e.time) \(e.query.keyspace)/\(e.query.shard): \(e.query.sql)\n" }
            if let error = block.error { text += "ERROR: \(error.message)\n" }
            text += "\n"
        }
        return text
    }

    /// The statements of a vtexplain output and the `keyspace/shard`s each reached.
    public static func expected(_ text: String) -> [(sql: String, shards: [String])] {
        var blocks: [(String, [String])] = []
        let separator = String(repeating: "-", count: 70)
        for chunk in text.components(separatedBy: separator + "\n").dropFirst() {
            let lines = chunk.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let sql = lines.first, !sql.isEmpty else { continue }
            var shards: Set<String> = []
            for line in lines.dropFirst() {
                let words = line.split(separator: " ", maxSplits: 2)
                guard words.count >= 2, Int(words[0]) != nil, words[1].hasSuffix(":") else { continue }
                shards.insert(String(words[1].dropLast()))
            }
            blocks.append((sql, shards.sorted()))
        }
        return blocks
    }
}
