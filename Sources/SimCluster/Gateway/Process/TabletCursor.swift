import SimCore
import SQLSyntax

/// The gateway's way to the shards inside a simulation: each shard query goes as a message to
/// the shard's primary tablet (found in the topology, and looked up again after a failure), and
/// a batch completes when every shard has answered or its call has timed out.
final class TabletCursor: VCursor {
    /// Each keyspace's shard map, built once: every routed statement asks for one.
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var shardMaps: [String: ShardMap] = [:]
    let evaluator: RowEvaluator
    let callTimeout: SimDuration
    let observer: ClusterObserver?
    /// The primary each shard had when it was last known, to notice a change.
    @exclusivity(unchecked) var lastPrimaries: [String: String] = [:]
    /// The context of the message being handled; set around every handler call.
    @exclusivity(unchecked) var context: ProcessContext<ClusterMessage>?
    /// The primary tablet of each `keyspace/shard`, as last read from the topology.
    @exclusivity(unchecked) var primaries: [String: String] = [:]
    @exclusivity(unchecked) var calls = PendingCalls<Call>()
    @exclusivity(unchecked) var batches: [Int: Batch] = [:]
    @exclusivity(unchecked) var nextBatch = 1
    /// Queries waiting for a shard's primary to be looked up, by `keyspace/shard`.
    @exclusivity(unchecked) var waiting: [String: [(batch: Int, index: Int)]] = [:]

    /// Serving tablets of each type (`keyspace/shard@replica`), as last listed in the topology.
    @exclusivity(unchecked) var servingTablets: [String: [String]] = [:]
    /// The last health report of each tablet the gateway streams health from.
    @exclusivity(unchecked) var health: [String: HealthReport] = [:]
    /// Replicas lagging more than this do not serve reads (Vitess's `discovery_low_replication_lag`).
    @exclusivity(unchecked) var lagLimit: SimDuration = .seconds(30)
    /// Holds primary requests during failovers, when enabled.
    @exclusivity(unchecked) var buffer: FailoverBuffer?

    enum Call {
        /// A query sent to the tablet `alias`.
        case query(batch: Int, index: Int, shard: String, alias: String)
        case topo(shard: String)
        case tablets(key: String)
        case listing(Int)
    }

    @exclusivity(unchecked) var listings: [Int: (Result<[TabletRecord], MySQLError>) -> Void] = [:]

    func listTablets(_ done: @escaping (Result<[TabletRecord], MySQLError>) -> Void) {
        guard let context, let topo = context.process(named: "topo") else {
            return done(.failure(MySQLError(code: 1105, sqlState: "HY000", message: "no topology service")))
        }
        let id = calls.start(.listing(nextBatch), timeout: callTimeout, context)
        listings[nextBatch] = done
        nextBatch += 1
        context.send(.topoRequest(id: id, request: .list(prefix: TopoPath.tablets)), to: topo)
    }

    final class Batch {
        let queries: [ShardQuery]
        var results: [Result<QueryResult, MySQLError>?]
        /// Queries without a result yet.
        var remaining: Int
        /// Queries that were buffered once (they are not buffered again).
        var buffered: Set<Int> = []
        /// Queries sent again after a failover error (Vitess retries twice at most).
        var retries: [Int: Int] = [:]
        let done: ([Result<QueryResult, MySQLError>]) -> Void

        init(_ queries: [ShardQuery], _ done: @escaping ([Result<QueryResult, MySQLError>]) -> Void) {
            self.queries = queries
            results = queries.map { _ in nil }
            remaining = queries.count
            self.done = done
        }
    }

    init(shards: [String: [String]], callTimeout: SimDuration, observer: ClusterObserver?) throws {
        self.observer = observer
        for (keyspace, names) in shards { shardMaps[keyspace] = ShardMap(keyspace: keyspace, shardNames: names) }
        evaluator = try RowEvaluator()
        self.callTimeout = callTimeout
    }

    func shardMap(for keyspace: String) throws(MySQLError) -> ShardMap {
        guard let map = shardMaps[keyspace] else {
            throw MySQLError(code: 1049, sqlState: "42000", message: "Unknown database '\(keyspace)'")
        }
        return map
    }

    func execute(_ queries: [ShardQuery], _ done: @escaping ([Result<QueryResult, MySQLError>]) -> Void) {
        guard !queries.isEmpty else { return done([]) }
        if queries.count > 1 { observer?.mark(.gatewayScatter) }
        let id = nextBatch
        nextBatch += 1
        batches[id] = Batch(queries, done)
        for (i, q) in queries.enumerated() { send(batch: id, index: i, q) }
    }

    func send(batch: Int, index: Int, _ query: ShardQuery) {
        guard let context else { preconditionFailure("the gateway's cursor ran outside a handler") }
        if query.tabletType != .primary {
            sendToServing(batch: batch, index: index, query)
            return
        }
        let key = "\(query.keyspace)/\(query.shard)"
        guard let alias = primaries[key], let tablet = context.process(named: alias) else {
            lookUpPrimary(key, keyspace: query.keyspace, shard: query.shard, waiting: (batch, index))
            return
        }
        let id = calls.start(.query(batch: batch, index: index, shard: key, alias: alias), timeout: callTimeout, context)
        let target = Target(keyspace: query.keyspace, shard: query.shard, type: .primary)
        let request: TabletRequest = switch query.transaction {
        case .none: .execute(target: target, sql: query.sql, bindings: [], transactionID: nil)
        case .begin: .beginExecute(target: target, sql: query.sql, bindings: [])
        case .within(let tx): .execute(target: target, sql: query.sql, bindings: [], transactionID: tx)
        case .commit(let tx): .commit(target: target, transactionID: tx)
        case .rollback(let tx): .rollback(target: target, transactionID: tx)
        case .twoPC(let call): .twoPC(target: target, call)
        }
        context.send(.tabletRequest(id: id, request: request), to: tablet)
    }

    func lookUpPrimary(_ key: String, keyspace: String, shard: String, waiting entry: (batch: Int, index: Int)) {
        guard let context else { return }
        let first = waiting[key] == nil
        waiting[key, default: []].append(entry)
        guard first else { return }
        guard let topo = context.process(named: "topo") else {
            fail(key, MySQLError(code: 1105, sqlState: "HY000", message: "no topology service"))
            return
        }
        let id = calls.start(.topo(shard: key), timeout: callTimeout, context)
        context.send(.topoRequest(id: id, request: .get(TopoPath.shard(keyspace, shard))), to: topo)
    }

    /// A read for replicas (or rdonly tablets): one of the shard's tablets of that type, chosen
    /// at random from the run's stream (Vitess picks among the healthy ones).
    func sendToServing(batch: Int, index: Int, _ query: ShardQuery) {
        guard let context else { return }
        let key = "\(query.keyspace)/\(query.shard)@\(query.tabletType.rawValue.lowercased())"
        guard let tablets = servingTablets[key] else {
            let first = waiting[key] == nil
            waiting[key, default: []].append((batch, index))
            guard first, let topo = context.process(named: "topo") else { return }
            let id = calls.start(.tablets(key: key), timeout: callTimeout, context)
            context.send(.topoRequest(id: id, request: .list(prefix: TopoPath.tablets)), to: topo)
            return
        }
        guard !tablets.isEmpty else {
            complete(batch, index, .failure(MySQLError(code: 1105, sqlState: "HY000",
                                                       message: "no healthy tablet of type \(query.tabletType.rawValue) for \(query.keyspace)/\(query.shard)")))
            return
        }
        // Tablets that reported serving within the lag limit; before any report, every listed one.
        let reported = tablets.filter { health[$0] != nil }
        let healthy = reported.isEmpty ? tablets : reported.filter { health[$0]!.serving && health[$0]!.lag <= lagLimit }
        guard !healthy.isEmpty else {
            complete(batch, index, .failure(MySQLError(code: 1105, sqlState: "HY000",
                message: "no healthy tablet of type \(query.tabletType.rawValue) for \(query.keyspace)/\(query.shard) (lag limit \(lagLimit))")))
            return
        }
        let alias = healthy[context.random { Int($0.next() % UInt64(healthy.count)) }]
        guard let tablet = context.process(named: alias) else { return }
        let id = calls.start(.query(batch: batch, index: index, shard: key, alias: alias), timeout: callTimeout, context)
        let target = Target(keyspace: query.keyspace, shard: query.shard, type: query.tabletType)
        context.send(.tabletRequest(id: id, request: .execute(target: target, sql: query.sql, bindings: [], transactionID: nil)), to: tablet)
    }

    /// Ends every query waiting for `key`'s primary with `error`.
    func fail(_ key: String, _ error: MySQLError) {
        for (batch, index) in waiting.removeValue(forKey: key) ?? [] { complete(batch, index, .failure(error)) }
    }

    func complete(_ batch: Int, _ index: Int, _ result: Result<QueryResult, MySQLError>) {
        guard let b = batches[batch], case .none = b.results[index] else { return }
        b.results[index] = result
        b.remaining -= 1
        guard b.remaining == 0 else { return }
        batches[batch] = nil
        b.done(b.results.map { $0! })
    }

    /// Handles a reply or a timeout meant for the cursor; false when it is not one.
    func handle(_ message: ClusterMessage) -> Bool {
        guard let context else { return false }
        switch message {
        case .tabletReply(let id, let reply):
            guard case .query(let batch, let index, let key, let answering)? = calls.finish(id, context) else { return true }
            switch reply {
            case .result(var result, let transactionID):
                // A commit the primary acknowledged to the gateway must survive (durability).
                if let gtid = result.gtid { observer?.acknowledgedCommit(client: context.name, shard: key, gtid: gtid, time: context.now) }
                result.transactionID = transactionID
                complete(batch, index, .success(result))
            case .twoPC(let answer):
                var result = QueryResult()
                result.twoPC = answer
                complete(batch, index, .success(result))
            case .failed(let error):
                // A tablet that is no longer the primary (or gone) is looked up again next time
                // (unless another one is known already).
                if (error.mysql == nil || error.code == .unavailable || error.code == .failedPrecondition) && (primaries[key] ?? answering) == answering {
                    primaries[key] = nil
                    servingTablets[key] = nil
                }
                if retryOnServingPrimary(batch, index, key: key, error: error, failedPrimary: answering) { return true }
                if bufferDuringFailover(batch, index, key: key, error: error, failedPrimary: answering) { return true }
                complete(batch, index, .failure(error.mysql ?? MySQLError(code: 1105, sqlState: "HY000", message: "vttablet: \(error.description)")))
            }
        case .topoReply(let id, let reply) where { if case .listing? = calls.peek(id) { true } else { false } }():
            guard case .listing(let n)? = calls.finish(id, context), let done = listings.removeValue(forKey: n) else { return true }
            guard case .entries(let entries) = reply else {
                done(.failure(MySQLError(code: 1105, sqlState: "HY000", message: "cannot list the tablets")))
                return true
            }
            done(.success(entries.compactMap { if case .tablet(let record) = $0.value { record } else { nil } }))
        case .topoReply(let id, let reply) where { if case .tablets? = calls.peek(id) { true } else { false } }():
            guard case .tablets(let key)? = calls.finish(id, context) else { return true }
            if case .entries(let entries) = reply {
                for entry in entries {
                    guard case .tablet(let record) = entry.value, record.type != .primary, record.type != .drained else { continue }
                    let listKey = "\(record.keyspace)/\(record.shard)@\(record.type.rawValue.lowercased())"
                    if !(servingTablets[listKey]?.contains(record.alias) ?? false) { servingTablets[listKey, default: []].append(record.alias) }
                    // Stream the tablet's health from now on (again after a failure: it may have restarted).
                    if let tablet = context.process(named: record.alias) {
                        context.send(.healthSubscribe, to: tablet)
                    }
                }
                servingTablets[key] = servingTablets[key] ?? []
                for (batch, index) in waiting.removeValue(forKey: key) ?? [] {
                    guard let b = batches[batch] else { continue }
                    sendToServing(batch: batch, index: index, b.queries[index])
                }
            } else {
                fail(key, MySQLError(code: 1105, sqlState: "HY000", message: "cannot list the tablets of \(key)"))
            }
        case .topoReply(let id, let reply):
            guard case .topo(let key)? = calls.finish(id, context) else { return true }
            if case .value(.shard(let record)?, _) = reply, let primary = record.primary {
                primaries[key] = primary
                if let last = lastPrimaries[key], last != primary { observer?.mark(.gatewayPrimaryChanged) }
                lastPrimaries[key] = primary
                for (batch, index) in waiting.removeValue(forKey: key) ?? [] {
                    guard let b = batches[batch] else { continue }
                    send(batch: batch, index: index, b.queries[index])
                }
            } else {
                fail(key, MySQLError(code: 1105, sqlState: "HY000", message: "no primary for shard \(key)"))
            }
        case .health(let report):
            health[report.alias] = report
            if report.target.type == .primary && report.serving, let buffer {
                let key = "\(report.target.keyspace)/\(report.target.shard)"
                let drained = buffer.primaryServing(key, now: context.now)
                if !drained.isEmpty {
                    primaries[key] = report.alias
                    observer?.mark(.gatewayBufferDrained)
                    drained.forEach(retry)
                }
            }
        case .timer(.bufferWindow(let id)):
            if let entry = buffer?.expire(id) {
                observer?.mark(.gatewayBufferWindowExpired)
                retry(entry)
            }
        case .timer(.bufferFailoverLimit(let key, let since)):
            buffer?.failoverLimitReached(key, since: since, now: context.now).forEach(retry)
        case .timer(.rpcTimeout(let id)):
            switch calls.expire(id) {
            case .tablets(let key)?:
                fail(key, MySQLError(code: 1105, sqlState: "HY000", message: "topology service unreachable"))
            case .listing(let n)?:
                listings.removeValue(forKey: n)?(.failure(MySQLError(code: 1105, sqlState: "HY000", message: "topology service unreachable")))
            case .query(let batch, let index, let key, _)?:
                primaries[key] = nil
                servingTablets[key] = nil
                complete(batch, index, .failure(MySQLError(code: 1105, sqlState: "HY000", message: "vttablet: deadline exceeded")))
            case .topo(let key)?:
                fail(key, MySQLError(code: 1105, sqlState: "HY000", message: "topology service unreachable"))
            case nil:
                return false
            }
        default:
            return false
        }
        return true
    }

    /// Holds a primary request that failed because its shard is failing over (outside a
    /// transaction, once at most); true when it is held.
    func bufferDuringFailover(_ batch: Int, _ index: Int, key: String, error: TabletError, failedPrimary: String?) -> Bool {
        guard let buffer, let context, let b = batches[batch], !b.buffered.contains(index),
              Self.mayGoAgainAfterFailover(b.queries[index], error) else { return false }
        let (decision, started) = buffer.buffer(key, batch: batch, index: index, failedPrimary: failedPrimary, now: context.now)
        if started {
            observer?.mark(.gatewayBufferStarted)
            context.setTimer(after: buffer.configuration.maxFailoverDuration, .timer(.bufferFailoverLimit(shard: key, since: context.now)))
        }
        guard case .buffered(let entry, let evicted) = decision else { return false }
        b.buffered.insert(index)
        observer?.mark(.gatewayBuffered)
        context.setTimer(after: buffer.configuration.window, .timer(.bufferWindow(entry: entry.id)))
        if let evicted {
            observer?.mark(.gatewayBufferEvicted)
            complete(evicted.batch, evicted.index, .failure(MySQLError(code: 1105, sqlState: "HY000",
                                                                       message: "vttablet: UNAVAILABLE: buffer full: request evicted for newer request")))
        }
        return true
    }

    /// Sends a request that left the buffer again.
    func retry(_ entry: FailoverBuffer.Entry) {
        guard let b = batches[entry.batch], b.results[entry.index] == nil else { return }
        send(batch: entry.batch, index: entry.index, b.queries[entry.index])
    }

    /// A primary request outside a transaction that failed because its tablet stopped being
    /// the primary goes at once to the primary serving now, when the health stream shows one
    /// (Vitess's tablet gateway retries such errors, twice at most).
    func retryOnServingPrimary(_ batch: Int, _ index: Int, key: String, error: TabletError, failedPrimary: String?) -> Bool {
        guard let b = batches[batch], (b.retries[index] ?? 0) < 2, Self.mayGoAgainAfterFailover(b.queries[index], error) else { return false }
        let serving = health.keys.sorted().compactMap { health[$0] }.filter {
            $0.target.type == .primary && $0.serving && "\($0.target.keyspace)/\($0.target.shard)" == key && $0.alias != failedPrimary
        }
        guard let primary = serving.max(by: { $0.term < $1.term }) else { return false }
        primaries[key] = primary.alias
        b.retries[index, default: 0] += 1
        send(batch: batch, index: index, b.queries[index])
        return true
    }

    /// A primary query may be sent again after a failover error only outside a transaction (or
    /// as the BEGIN of one): inside, its shard transaction is gone with the old primary.
    static func mayGoAgainAfterFailover(_ query: ShardQuery, _ error: TabletError) -> Bool {
        guard query.tabletType == .primary, FailoverBuffer.causedByFailover(error) else { return false }
        switch query.transaction {
        case .none, .begin: return true
        default: return false
        }
    }
}
