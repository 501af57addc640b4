import SimCore

/// Messages of the kernel tests.
enum TestMessage: SimMessage, Equatable {
    case value(Int)
    case tick(Int)

    var traceName: String {
        switch self {
        case .value: "value"
        case .tick: "tick"
        }
    }

    func traceFields(into fields: inout TraceFields) {
        switch self {
        case .value(let n), .tick(let n): fields.add("n", n)
        }
    }
}

/// What a process saw, kept outside the instance so that tests can read it after crashes.
final class Log {
    var received: [(time: SimTime, from: ProcessID, message: TestMessage)] = []
    var timers: [(time: SimTime, message: TestMessage)] = []
    var starts: [SimTime] = []

    var values: [Int] {
        received.compactMap { if case .value(let n) = $0.message { n } else { nil } }
    }
}

/// Records everything it receives; runs a script on start.
final class Recorder: SimProcess {
    let log: Log
    let onStart: (ProcessContext<TestMessage>) -> Void
    let onReceive: (TestMessage, ProcessID, ProcessContext<TestMessage>) -> Void

    init(
        log: Log,
        onStart: @escaping (ProcessContext<TestMessage>) -> Void = { _ in },
        onReceive: @escaping (TestMessage, ProcessID, ProcessContext<TestMessage>) -> Void = { _, _, _ in }
    ) {
        self.log = log
        self.onStart = onStart
        self.onReceive = onReceive
    }

    func start(_ context: ProcessContext<TestMessage>) {
        log.starts.append(context.now)
        onStart(context)
    }

    func receive(_ message: TestMessage, from sender: ProcessID, _ context: ProcessContext<TestMessage>) {
        log.received.append((context.now, sender, message))
        onReceive(message, sender, context)
    }

    func timerFired(_ message: TestMessage, _ context: ProcessContext<TestMessage>) {
        log.timers.append((context.now, message))
    }
}

/// Durable state of the crash tests: a counter that survives crashes.
final class Counter: DurableState {
    var value = 0
    var crashes: [Int] = []
    func processCrashed(losingUnsynced: Int) { crashes.append(losingUnsynced) }
}

/// Counts in volatile state and in durable state.
final class CountingProcess: SimProcess {
    let durable: Counter
    var volatile = 0
    let log: Log

    init(durable: Counter, log: Log) {
        self.durable = durable
        self.log = log
    }

    func start(_ context: ProcessContext<TestMessage>) {
        log.starts.append(context.now)
        context.setTimer(after: .seconds(1), .tick(volatile))
    }

    func receive(_ message: TestMessage, from sender: ProcessID, _ context: ProcessContext<TestMessage>) {
        log.received.append((context.now, sender, message))
        volatile += 1
        durable.value += 1
    }

    func timerFired(_ message: TestMessage, _ context: ProcessContext<TestMessage>) {
        log.timers.append((context.now, message))
    }
}

func makeSimulation(seed: UInt64 = 1, link: LinkConfig = .reliable, budget: Int = 1_000_000) -> Simulation<TestMessage> {
    Simulation(seed: seed, configuration: .init(network: link, eventBudget: budget))
}
