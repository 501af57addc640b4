import SimCore

/// What a load client counted (benchmarks keep counts, not histories).
public final class LoadCounters: DurableState {
    public private(set) var answered = 0
    public private(set) var failed = 0
    public private(set) var timedOut = 0
    public init() {}
    func ok() { answered += 1 }
    func error() { failed += 1 }
    func timeout() { timedOut += 1 }
}

/// A client that sends `count` statements through a gateway, one at a time, back to back:
/// `statement(i)` makes the i-th. It keeps only counts, so that a million queries cost no memory.
final class LoadClient: SimProcess {
    let gateway: String
    let count: Int
    let statement: @Sendable (Int) -> String
    let counters: LoadCounters
    /// How long after the start the first statement goes out.
    let delay: SimDuration
    var calls = PendingCalls<Int>()
    var sent = 0
    /// The gateway's process, looked up by name once.
    var gatewayID: ProcessID?

    init(gateway: String, count: Int, statement: @escaping @Sendable (Int) -> String, counters: LoadCounters, delay: SimDuration) {
        self.gateway = gateway
        self.count = count
        self.statement = statement
        self.counters = counters
        self.delay = delay
    }

    func start(_ context: ProcessContext<ClusterMessage>) {
        if delay > .zero { context.setTimer(after: delay, .timer(.clientTick)) } else { next(context) }
    }

    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) { receive(message, from: context.id, context) }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .timer(.rpcTimeout(let id)):
            guard calls.expire(id) != nil else { return }
            counters.timeout()
            next(context)
        case .gatewayResult(let id, let result):
            guard calls.finish(id, context) != nil else { return }
            if case .success = result { counters.ok() } else { counters.error() }
            next(context)
        case .timer(.clientTick):
            next(context)
        default:
            break
        }
    }

    func next(_ context: ProcessContext<ClusterMessage>) {
        guard sent < count, let gate = gatewayID ?? context.process(named: gateway) else { return }
        gatewayID = gate
        let id = calls.start(sent, timeout: .seconds(5), context)
        context.send(.gatewayQuery(id: id, sql: statement(sent), connection: 0), to: gate)
        sent += 1
    }
}

extension Cluster {
    /// Adds a load client called `name` that sends `count` statements made by `statement`, the
    /// first `delay` after it starts.
    @discardableResult
    public func addLoadClient(named name: String, gateway: String, count: Int, statement: @escaping @Sendable (Int) -> String,
                              counters: LoadCounters, delay: SimDuration = .zero) -> ProcessID {
        simulation.addProcess(named: name, durable: counters) {
            LoadClient(gateway: gateway, count: count, statement: statement, counters: $0, delay: delay)
        }
    }
}
