import SimCore
import Testing

@Suite struct ProcessLifecycleTests {
    @Test func crashLosesVolatileStateTimersAndMessagesInFlight() {
        let simulation = makeSimulation(link: LinkConfig(latency: .fixed(.milliseconds(10))))
        let counter = Counter()
        let log = Log()
        let sender = simulation.addProcess(named: "gate-1") { Recorder(log: Log()) }
        let node = simulation.addProcess(named: "zone1-0000000101", durable: counter) { CountingProcess(durable: $0, log: log) }
        for i in 0..<5 {
            simulation.schedule(at: SimTime(nanoseconds: Int64(i) * 1_000_000)) { simulation.send(.value(i), from: sender, to: node) }
        }
        // Messages 0..4 arrive at 10..14ms; crash at 12.5ms loses 3 and 4 (in flight) and the 1s timer.
        simulation.schedule(.crash(node, losingUnsynced: 2), at: SimTime(nanoseconds: 12_500_000))
        simulation.run(until: SimTime(nanoseconds: 20_000_000))
        #expect(log.values == [0, 1, 2])
        #expect(counter.value == 3)
        #expect(counter.crashes == [2])
        #expect(simulation.status(of: node) == .crashed)
        #expect(simulation.instance(of: node) == nil)
        // A message sent to a crashed process is lost too.
        simulation.send(.value(9), from: sender, to: node)
        simulation.run(until: SimTime(nanoseconds: 2_000_000_000))
        #expect(log.timers.isEmpty)
        #expect(log.values == [0, 1, 2])
        let drops = simulation.recentEvents.filter { $0.kind == .drop && $0.detail == "down" }
        #expect(drops.count == 3)
    }

    @Test func restartRebuildsTheProcessFromDurableState() {
        let simulation = makeSimulation()
        let counter = Counter()
        let log = Log()
        let sender = simulation.addProcess(named: "gate-1") { Recorder(log: Log()) }
        let node = simulation.addProcess(named: "node", durable: counter) { CountingProcess(durable: $0, log: log) }
        simulation.schedule(at: .zero) { for i in 0..<4 { simulation.send(.value(i), from: sender, to: node) } }
        simulation.run(until: SimTime(nanoseconds: 100_000_000))
        let before = simulation.instance(of: node) as? CountingProcess
        #expect(before?.volatile == 4)
        simulation.apply(.crash(node, losingUnsynced: 0))
        simulation.apply(.restart(node))
        simulation.run(until: SimTime(nanoseconds: 200_000_000))
        let after = simulation.instance(of: node) as? CountingProcess
        #expect(after !== before)
        #expect(after?.volatile == 0)
        #expect(after?.durable.value == 4)
        #expect(simulation.incarnation(of: node) == 1)
        #expect(log.starts.count == 2)
        // The new incarnation's timer fires; the old one's was discarded.
        simulation.run(until: SimTime(nanoseconds: 2_000_000_000))
        #expect(log.timers.count == 1)
        #expect(log.timers[0].time == SimTime(nanoseconds: 1_100_000_000))
    }

    @Test func restartOfARunningProcessBouncesIt() {
        let simulation = makeSimulation()
        let log = Log()
        let node = simulation.addProcess(named: "node", durable: Counter()) { CountingProcess(durable: $0, log: log) }
        simulation.schedule(.restart(node), at: SimTime(nanoseconds: 5))
        simulation.run(until: SimTime(nanoseconds: 10))
        #expect(simulation.incarnation(of: node) == 1)
        #expect(log.starts.count == 2)
        let kinds = simulation.recentEvents.map(\.kind)
        #expect(kinds.contains(.crash) && kinds.contains(.restart))
    }

    @Test func pausedProcessGetsItsEventsInOrderOnResume() {
        let simulation = makeSimulation()
        let log = Log()
        let sender = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let node = simulation.addProcess(named: "b") {
            Recorder(log: log, onStart: { $0.setTimer(after: .milliseconds(3), .tick(0)) })
        }
        simulation.schedule(.pause(node), at: SimTime(nanoseconds: 1))
        for i in 0..<5 {
            simulation.schedule(at: SimTime(nanoseconds: Int64(i + 1) * 1_000_000)) { simulation.send(.value(i), from: sender, to: node) }
        }
        simulation.schedule(.resume(node), at: SimTime(nanoseconds: 50_000_000))
        simulation.run()
        #expect(log.values == [0, 1, 2, 3, 4])
        #expect(log.received.allSatisfy { $0.time == SimTime(nanoseconds: 50_000_000) })
        #expect(log.timers.map(\.time) == [SimTime(nanoseconds: 50_000_000)])
    }

    @Test func faultsOnAProcessInTheWrongStateAreIgnoredAndTraced() {
        let simulation = makeSimulation()
        let node = simulation.addProcess(named: "n") { Recorder(log: Log()) }
        simulation.apply(.resume(node))
        simulation.apply(.crash(node, losingUnsynced: 0))
        simulation.apply(.pause(node))
        simulation.apply(.crash(node, losingUnsynced: 0))
        let details = simulation.recentEvents.map(\.detail)
        #expect(details.contains("ignored: running"))
        #expect(details.contains("ignored: crashed"))
        #expect(simulation.status(of: node) == .crashed)
    }
}
