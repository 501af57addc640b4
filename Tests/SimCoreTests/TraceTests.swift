import SimCore
import Testing

@Suite struct TraceTests {
    /// A small lossy system with a crash: its fingerprint depends on everything that happened.
    func run(seed: UInt64, drop: Double = 0.1, crashAt: Int64 = 40_000_000) -> Simulation<TestMessage> {
        let link = LinkConfig(latency: .uniform(min: .microseconds(100), max: .milliseconds(5)), drop: drop, duplicate: 0.05)
        let simulation = makeSimulation(seed: seed, link: link)
        let ping: (TestMessage, ProcessID, ProcessContext<TestMessage>) -> Void = { message, sender, context in
            if case .value(let n) = message, n < 200 { context.send(.value(n + 1), to: sender) }
        }
        let a = simulation.addProcess(named: "a") { Recorder(log: Log(), onReceive: ping) }
        let b = simulation.addProcess(named: "b", durable: Counter()) { _ in
            Recorder(log: Log(), onStart: { context in
                for i in 0..<20 { context.send(.value(i * 10), to: a) }
            }, onReceive: ping)
        }
        simulation.schedule(.crash(b, losingUnsynced: 0), at: SimTime(nanoseconds: crashAt))
        simulation.schedule(.restart(b), at: SimTime(nanoseconds: crashAt + 10_000_000))
        simulation.run()
        return simulation
    }

    @Test func sameSeedSameFingerprintDifferentSeedDifferent() {
        let first = run(seed: 5)
        let second = run(seed: 5)
        #expect(first.fingerprint == second.fingerprint)
        #expect(first.eventsProcessed == second.eventsProcessed)
        #expect(first.trace.count > 100)
        #expect(run(seed: 6).fingerprint != first.fingerprint)
    }

    @Test func anyChangeOfInputChangesTheFingerprint() {
        let base = run(seed: 5).fingerprint
        #expect(run(seed: 5, drop: 0.11).fingerprint != base)
        #expect(run(seed: 5, crashAt: 40_000_001).fingerprint != base)
    }

    @Test func hasherDetectsAnySingleWordChange() {
        var random = RandomStream(rootSeed: 3, label: "words")
        let words = (0..<64).map { _ in random.next() }
        func hash(_ ws: [UInt64]) -> UInt64 {
            var h = TraceHasher()
            for w in ws { h.combine(w) }
            return h.value
        }
        let base = hash(words)
        for i in words.indices {
            for bit in [0, 31, 63] {
                var changed = words
                changed[i] ^= 1 << UInt64(bit)
                #expect(hash(changed) != base)
            }
        }
        // Two top-bit flips must not cancel (they would with plain word-wise FNV).
        var twice = words
        twice[3] ^= 1 << 63
        twice[9] ^= 1 << 63
        #expect(hash(twice) != base)
    }

    @Test func sinkSeesEveryEventAndRingKeepsTheLatest() {
        let collector = TraceCollector()
        let link = LinkConfig(latency: .fixed(.milliseconds(1)))
        let simulation = Simulation<TestMessage>(seed: 1, configuration: .init(network: link, traceRingCapacity: 8))
        simulation.attach(sink: collector)
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: Log()) }
        for i in 0..<20 { simulation.schedule(at: SimTime(nanoseconds: Int64(i))) { simulation.send(.value(i), from: a, to: b) } }
        simulation.schedule(.partition(name: "x", sideA: [a], sideB: [b], oneWay: false), at: SimTime(nanoseconds: 1_000_010))
        simulation.run()
        #expect(collector.events.count == simulation.trace.count)
        let recent = simulation.recentEvents
        #expect(recent.count == 8)
        #expect(recent == Array(collector.events.suffix(8)))
        let partition = collector.events.first { $0.kind == .partition }
        #expect(partition?.detail == "x")
        #expect(partition?.jsonLine == #"{"t":1000010,"kind":"partition","detail":"x","a":["a"],"b":["b"],"one_way":false}"#)
        let delivery = collector.events.first { $0.kind == .deliver }
        #expect(delivery?.jsonLine == #"{"t":1000000,"kind":"deliver","process":"b","from":"a","sent":0,"msg":{"type":"value","n":0}}"#)
        #expect(delivery?.summary == "1ms deliver b <- a value n=0")
    }

    @Test func stateChangesAreTraced() {
        let simulation = makeSimulation()
        simulation.addProcess(named: "zone1-0000000101") {
            Recorder(log: Log(), onStart: { context in
                var fields = TraceFields()
                fields.add("term", 3)
                context.trace(state: "primary", fields)
            })
        }
        simulation.run()
        let state = simulation.recentEvents.first { $0.kind == .state }
        #expect(state?.process == "zone1-0000000101")
        #expect(state?.detail == "primary")
        #expect(state?.fields["term"] == .int(3))
    }
}
