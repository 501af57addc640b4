import SimCore
import SQLSyntax

/// What a gateway client did: every statement it sent, when, and how it ended (ok with the
/// result, failed with the error, or unknown when no answer came in time).
public final class GatewayHistory: DurableState {
    public enum Outcome: Sendable, Equatable {
        case ok(QueryResult)
        case failed(MySQLError)
        case unknown
    }

    public struct Entry: Sendable {
        public let sql: String
        public let invoked: SimTime
        public var completed: SimTime?
        public var outcome: Outcome?
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    func invoked(_ sql: String, at time: SimTime) { entries.append(Entry(sql: sql, invoked: time)) }

    func ended(_ outcome: Outcome, at time: SimTime) {
        guard let i = entries.indices.last else { return }
        entries[i].outcome = outcome
        entries[i].completed = time
    }
}

/// A client of a VTGate that runs a script of statements one after the other, `interval` apart,
/// and records each outcome.
final class GatewayClient: SimProcess {
    let gateway: String
    let script: [String]
    let interval: SimDuration
    let timeout: SimDuration
    let history: GatewayHistory
    var calls = PendingCalls<Int>()
    var busy = false

    init(gateway: String, script: [String], interval: SimDuration, timeout: SimDuration, history: GatewayHistory) {
        self.gateway = gateway
        self.script = script
        self.interval = interval
        self.timeout = timeout
        self.history = history
    }

    func start(_ context: ProcessContext<ClusterMessage>) {
        context.setTimer(after: interval, .timer(.clientTick))
    }

    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .timer(.clientTick):
            next(context)
        case .timer(.rpcTimeout(let id)):
            guard calls.expire(id) != nil else { return }
            history.ended(.unknown, at: context.now)
            busy = false
            context.setTimer(after: interval, .timer(.clientTick))
        case .gatewayResult(let id, let result):
            guard calls.finish(id, context) != nil else { return }
            switch result {
            case .success(let r): history.ended(.ok(r), at: context.now)
            case .failure(let e): history.ended(.failed(e), at: context.now)
            }
            busy = false
            context.setTimer(after: interval, .timer(.clientTick))
        default:
            break
        }
    }

    func next(_ context: ProcessContext<ClusterMessage>) {
        // A restarted client goes on after the statements its history holds.
        guard !busy, history.entries.count < script.count, let gate = context.process(named: gateway) else { return }
        let sql = script[history.entries.count]
        busy = true
        history.invoked(sql, at: context.now)
        let id = calls.start(history.entries.count, timeout: timeout, context)
        context.send(.gatewayQuery(id: id, sql: sql, connection: 0), to: gate)
    }
}

extension Cluster {
    /// Adds a client called `name` that runs `script` through the gateway `gateway`.
    @discardableResult
    public func addGatewayClient(named name: String, gateway: String = "gate-1", script: [String], interval: SimDuration = .milliseconds(10),
                                 timeout: SimDuration = .seconds(5), history: GatewayHistory) -> ProcessID {
        simulation.addProcess(named: name, durable: history) {
            GatewayClient(gateway: gateway, script: script, interval: interval, timeout: timeout, history: $0)
        }
    }
}
