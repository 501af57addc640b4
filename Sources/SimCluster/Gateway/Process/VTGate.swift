import Foundation
import SimCore
import SQLSyntax

/// VTGate as a process of the simulation: clients send it statements, it plans them and sends
/// the shard queries to the primary tablets as messages, merges their answers and replies. One
/// statement at a time per client request; many requests may be in flight. A crash forgets
/// everything (plans, primaries, requests in flight: a restart builds a new instance), and
/// clients see their calls time out.
final class VTGate: SimProcess {
    let vschema: VSchema
    let schema: SchemaColumns
    let shards: [String: [String]]
    let callTimeout: SimDuration
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var executor: GatewayExecutor
    @exclusivity(unchecked) var cursor: TabletCursor
    /// Each client connection's session (its USE target, transaction mode and transaction).
    @exclusivity(unchecked) var sessions: [Connection: GatewaySession] = [:]

    /// A client's connection: the client process and its connection number.
    struct Connection: Hashable {
        let client: ProcessID
        let number: Int
    }
    /// Finishes distributed transactions that primaries report as unresolved.
    lazy var resolver = TransactionResolver(environment: executor.transactions)
    /// The age after which a distributed transaction counts as abandoned (nil: no 2PC).
    @exclusivity(unchecked) var abandonAge: SimDuration?
    /// How often the gateway lists the tablets and (re)subscribes to their health.
    let healthRefresh: SimDuration = .seconds(2)

    init(vschema: VSchema, schema: SchemaColumns, shards: [String: [String]], callTimeout: SimDuration, lagLimit: SimDuration,
         observer: ClusterObserver?) throws {
        self.vschema = vschema
        self.schema = schema
        self.shards = shards
        self.callTimeout = callTimeout
        executor = GatewayExecutor(vschema: vschema, schema: schema)
        cursor = try TabletCursor(shards: shards, callTimeout: callTimeout, observer: observer)
        cursor.lagLimit = lagLimit
    }

    func start(_ context: ProcessContext<ClusterMessage>) {
        cursor.context = context
        defer { cursor.context = nil }
        subscribeToHealth(context)
    }

    /// Streams the health of every tablet (Vitess's healthcheck): the resolver and the failover
    /// buffer act on the primaries' reports. Tablets forget subscribers when they restart, so this repeats.
    func subscribeToHealth(_ context: ProcessContext<ClusterMessage>) {
        context.setTimer(after: healthRefresh, .timer(.gatewayHealthRefresh))
        guard abandonAge != nil || cursor.buffer != nil else { return }
        cursor.listTablets { [cursor] result in
            guard case .success(let records) = result, let context = cursor.context else { return }
            for record in records {
                if let tablet = context.process(named: record.alias) { context.send(.healthSubscribe, to: tablet) }
            }
        }
    }

    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        cursor.context = context
        defer { cursor.context = nil }
        if case .timer(.gatewayHealthRefresh) = message { return subscribeToHealth(context) }
        if case .health(let report) = message, report.unresolvedTransactions, report.target.type == .primary, let abandonAge {
            resolver.resolve(keyspace: report.target.keyspace, shard: report.target.shard, abandonAge: abandonAge, cursor: cursor)
        }
        if cursor.handle(message) { return }
        if case .gatewayClose(let number) = message {
            // As when a client disconnects: the session's transaction rolls back.
            guard let session = sessions.removeValue(forKey: Connection(client: sender, number: number)) else { return }
            executor.end(session, commit: false, cursor: cursor) { _ in }
            return
        }
        guard case .gatewayQuery(let id, let sql, let number) = message else { return }
        let key = Connection(client: sender, number: number)
        let session = sessions[key] ?? GatewaySession()
        sessions[key] = session
        executor.execute(sql, session: session, cursor: cursor) { [cursor] result in
            // Replies leave from whichever handler completes the statement.
            cursor.context?.send(.gatewayResult(id: id, result: result), to: sender)
        }
    }
}

extension Cluster {
    /// The VSchema the gateways serve: each keyspace's own JSON, or for a keyspace without one,
    /// an unsharded keyspace (every table) or a sharded one with no tables yet.
    static func gatewayVSchema(_ spec: ClusterSpec) throws -> (VSchema, SchemaColumns) {
        var vschema = VSchema()
        var columns = SchemaColumns()
        for keyspace in spec.keyspaces {
            if let json = keyspace.vschema {
                let loaded = try VSchemaLoader.load(Data(json.utf8), keyspace: keyspace.name)
                for (name, k) in loaded.keyspaces { vschema.keyspaces[name] = k }
                vschema.notices += loaded.notices
            } else {
                vschema.keyspaces[keyspace.name] = KeyspaceVSchema(name: keyspace.name, sharded: keyspace.sharded)
            }
            for statement in (try? SQLParser.parseScript(keyspace.schema)) ?? [] { columns.apply(statement) }
        }
        return (vschema, columns)
    }
}
