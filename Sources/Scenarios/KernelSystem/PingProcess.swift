import SimCore

/// What a pinger did, as its client history: every ping sent and pong received, with times.
/// Kept by the harness, so it survives the pinger's crashes (the next sequence number is durable).
public final class PingHistory: DurableState {
    public let target: String
    public private(set) var sent: [(seq: Int64, time: SimTime)] = []
    public private(set) var received: [(seq: Int64, time: SimTime, from: ProcessID)] = []

    public init(target: String) { self.target = target }

    var nextSeq: Int64 { Int64(sent.count) }
    func recordSent(_ seq: Int64, at time: SimTime) { sent.append((seq, time)) }
    func recordReceived(_ seq: Int64, at time: SimTime, from: ProcessID) { received.append((seq, time, from)) }
}

/// Pings its target every `interval` (up to `count` pings) and records the pongs.
final class PingProcess: SimProcess {
    let history: PingHistory
    let interval: SimDuration
    let count: Int?

    init(history: PingHistory, interval: SimDuration, count: Int?) {
        self.history = history
        self.interval = interval
        self.count = count
    }

    func start(_ context: ProcessContext<KernelMessage>) {
        context.setTimer(after: interval, .tick)
    }

    func timerFired(_ message: KernelMessage, _ context: ProcessContext<KernelMessage>) {
        if let count, history.nextSeq >= count { return }
        guard let target = context.process(named: history.target) else { return }
        let seq = history.nextSeq
        history.recordSent(seq, at: context.now)
        context.send(.ping(seq: seq), to: target)
        context.setTimer(after: interval, .tick)
    }

    func receive(_ message: KernelMessage, from sender: ProcessID, _ context: ProcessContext<KernelMessage>) {
        if case .pong(let seq) = message { history.recordReceived(seq, at: context.now, from: sender) }
    }
}
