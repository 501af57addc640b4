import HeapModule
import SimCore

/// `simrun bench kernel`: the kernel against a bare swift-collections `Heap` on the same workload.
///
/// Both run N events with about `pending` events in flight; each event schedules the next with a
/// delay drawn from a seeded stream. The kernel delivers typed messages over the network model to
/// process handlers with the trace fingerprint on; the heap only pushes and pops plain structs.
/// Real time is read here, outside any run, to time the runs.
struct KernelBenchmark {
    var events: Int
    var processes: Int
    var tokensPerProcess: Int
    var repetitions: Int

    struct Figures {
        /// The best time of each, in seconds.
        var kernelSeconds: Double
        var heapSeconds: Double
        var events: Int
        var fingerprint: UInt64
        var ratio: Double { kernelSeconds / heapSeconds }
    }

    func measure() -> Figures {
        var kernelBest = Double.infinity
        var heapBest = Double.infinity
        var fingerprint: UInt64 = 0
        for _ in 0..<repetitions {
            // Interleaved, so that both see the same machine conditions.
            let (k, f) = timeKernel()
            kernelBest = min(kernelBest, k)
            fingerprint = f
            heapBest = min(heapBest, timeHeap())
        }
        return Figures(kernelSeconds: kernelBest, heapSeconds: heapBest, events: events, fingerprint: fingerprint)
    }

    func timeKernel() -> (Double, UInt64) {
        let simulation = Simulation<BenchMessage>(
            seed: 42,
            configuration: .init(
                network: LinkConfig(latency: .uniform(min: .microseconds(1), max: .milliseconds(1))),
                eventBudget: events, traceRingCapacity: 256))
        let count = processes
        for i in 0..<count {
            let next = ProcessID(index: Int32((i + 1) % count))
            simulation.addProcess(named: "relay-\(i)") { Relay(next: next, tokens: tokensPerProcess) }
        }
        // Start events are not part of the measured N.
        simulation.run(until: .zero)
        let startEvents = simulation.eventsProcessed
        simulation.eventBudget = events + startEvents
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = simulation.run()
        let elapsed = clock.now - start
        precondition(outcome == .budgetExhausted && simulation.eventsProcessed - startEvents == events)
        return (elapsed.seconds, simulation.fingerprint)
    }

    func timeHeap() -> Double {
        var heap = Heap<HeapEvent>()
        var random = RandomStream(rootSeed: 42, label: "bench/heap")
        var sequence: UInt64 = 0
        for _ in 0..<(processes * tokensPerProcess) {
            heap.insert(HeapEvent(time: 0, sequence: sequence, payload: sequence))
            sequence += 1
        }
        let clock = ContinuousClock()
        let start = clock.now
        var checksum: UInt64 = 0
        for _ in 0..<events {
            let event = heap.removeMin()
            checksum &+= event.payload
            let delay = random.int(in: 1_000...1_000_000)
            heap.insert(HeapEvent(time: event.time + delay, sequence: sequence, payload: event.payload &+ 1))
            sequence += 1
        }
        let elapsed = clock.now - start
        precondition(checksum != 0)
        return elapsed.seconds
    }
}

/// The benchmark's message: one typed payload with a direct fingerprint encoding.
enum BenchMessage: SimMessage {
    case token(UInt64)

    var traceName: String { "token" }

    func traceFields(into fields: inout TraceFields) {
        if case .token(let n) = self { fields.add("n", n) }
    }

    func fingerprint(into hasher: inout TraceHasher) {
        if case .token(let n) = self { hasher.combine(n) }
    }
}

/// Passes every token it receives on to the next relay.
final class Relay: SimProcess {
    let next: ProcessID
    let tokens: Int

    init(next: ProcessID, tokens: Int) {
        self.next = next
        self.tokens = tokens
    }

    func start(_ context: ProcessContext<BenchMessage>) {
        for i in 0..<tokens { context.send(.token(UInt64(i)), to: next) }
    }

    func receive(_ message: BenchMessage, from sender: ProcessID, _ context: ProcessContext<BenchMessage>) {
        if case .token(let n) = message { context.send(.token(n &+ 1), to: next) }
    }
}

struct HeapEvent: Comparable {
    var time: Int64
    var sequence: UInt64
    var payload: UInt64

    static func < (a: HeapEvent, b: HeapEvent) -> Bool {
        (a.time, a.sequence) < (b.time, b.sequence)
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
