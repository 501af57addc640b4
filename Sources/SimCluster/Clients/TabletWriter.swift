import SimCore
import SQLSyntax

/// What a writer did: every insert it attempted and how each ended.
public final class WriteHistory: DurableState {
    public enum Outcome: Sendable, Equatable { case acknowledged(GTID), failed(String), unknown }
    public private(set) var attempts: [(id: Int64, sent: SimTime, outcome: Outcome?)] = []

    public init() {}

    func sent(_ id: Int64, at time: SimTime) { attempts.append((id, time, nil)) }
    func ended(_ id: Int64, _ outcome: Outcome) {
        if let i = attempts.lastIndex(where: { $0.id == id }) { attempts[i].outcome = outcome }
    }

    public var acknowledged: [(id: Int64, gtid: GTID)] {
        attempts.compactMap { if case .acknowledged(let g)? = $0.outcome { ($0.id, g) } else { nil } }
    }
}

/// A client that inserts rows into one shard straight through its primary tablet, one at a time,
/// finding the primary in the topology and again after every failure. Acknowledged inserts are
/// reported to the observer (for the durability check).
final class TabletWriter: SimProcess {
    let keyspace: String
    let shard: String
    let table: String
    let interval: SimDuration
    let firstID: Int64
    let history: WriteHistory
    let observer: ClusterObserver?
    var calls = PendingCalls<Pending>()
    var primary: String?
    var busy = false
    var nextID: Int64

    enum Pending {
        case topo
        case insert(Int64)
    }

    init(keyspace: String, shard: String, table: String, interval: SimDuration, firstID: Int64, history: WriteHistory, observer: ClusterObserver?) {
        self.keyspace = keyspace
        self.shard = shard
        self.table = table
        self.interval = interval
        self.firstID = firstID
        self.history = history
        self.observer = observer
        nextID = firstID + Int64(history.attempts.count)
    }

    func start(_ context: ProcessContext<ClusterMessage>) {
        context.setTimer(after: interval, .timer(.clientTick))
    }

    /// Timers arrive as messages to this process itself.
    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .timer(.clientTick):
            tick(context)
            context.setTimer(after: interval, .timer(.clientTick))
        case .timer(.rpcTimeout(let id)):
            if case .insert(let row)? = calls.expire(id) {
                history.ended(row, .unknown)
                primary = nil
            }
            busy = false
        case .topoReply(let id, let reply):
            guard calls.finish(id, context) != nil else { return }
            busy = false
            if case .value(.shard(let record)?, _) = reply { primary = record.primary }
        case .tabletReply(let id, let reply):
            guard case .insert(let row)? = calls.finish(id, context) else { return }
            busy = false
            switch reply {
            case .result(let result, _):
                if let gtid = result.gtid {
                    history.ended(row, .acknowledged(gtid))
                    observer?.acknowledgedCommit(client: context.name, shard: "\(keyspace)/\(shard)", gtid: gtid, time: context.now)
                } else {
                    history.ended(row, .failed("no GTID"))
                }
            case .failed(let error):
                history.ended(row, .failed(error.description))
                primary = nil
            case .twoPC:
                history.ended(row, .failed("unexpected 2PC answer"))
            }
        default:
            break
        }
    }

    func tick(_ context: ProcessContext<ClusterMessage>) {
        guard !busy else { return }
        guard let primary, let tablet = context.process(named: primary) else {
            guard let topo = context.process(named: "topo") else { return }
            busy = true
            let id = calls.start(.topo, timeout: .seconds(1), context)
            context.send(.topoRequest(id: id, request: .get(TopoPath.shard(keyspace, shard))), to: topo)
            return
        }
        let row = nextID
        nextID += 1
        busy = true
        history.sent(row, at: context.now)
        let id = calls.start(.insert(row), timeout: .seconds(1), context)
        let target = Target(keyspace: keyspace, shard: shard, type: .primary)
        context.send(.tabletRequest(id: id, request: .execute(target: target, sql: "INSERT INTO \(table) (id, v) VALUES (?, ?)",
                                                             bindings: [.integer(row), .text("w\(row)")], transactionID: nil)), to: tablet)
    }
}

extension Cluster {
    /// Adds a writer client called `name` that inserts into `table` (columns id, v) of one shard.
    @discardableResult
    public func addWriter(named name: String, keyspace: String, shard: String, table: String, interval: SimDuration,
                          firstID: Int64, history: WriteHistory) -> ProcessID {
        let observer = self.observer
        return simulation.addProcess(named: name, durable: history) {
            TabletWriter(keyspace: keyspace, shard: shard, table: table, interval: interval, firstID: firstID, history: $0, observer: observer)
        }
    }
}
