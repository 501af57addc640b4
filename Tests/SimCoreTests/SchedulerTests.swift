import SimCore
import Testing

@Suite struct SchedulerTests {
    @Test func sameTimeEventsRunInInsertionOrder() {
        let simulation = makeSimulation()
        var order: [Int] = []
        for i in 0..<50 { simulation.schedule(at: SimTime(nanoseconds: 1_000)) { order.append(i) } }
        simulation.schedule(at: SimTime(nanoseconds: 500)) { order.append(-1) }
        simulation.run()
        #expect(order == [-1] + Array(0..<50))
        #expect(simulation.now == SimTime(nanoseconds: 1_000))
    }

    @Test func eventsRunInTimeOrderWhateverTheInsertionOrder() {
        let simulation = makeSimulation()
        var random = RandomStream(rootSeed: 5, label: "times")
        var fired: [Int64] = []
        for _ in 0..<2_000 {
            let t = random.int(in: 0...1_000_000)
            simulation.schedule(at: SimTime(nanoseconds: t)) { fired.append(simulation.now.nanoseconds) }
        }
        simulation.run()
        #expect(fired.count == 2_000)
        #expect(fired == fired.sorted())
    }

    @Test func eventsScheduledWhileRunningKeepTheOrder() {
        let simulation = makeSimulation()
        var order: [String] = []
        simulation.schedule(at: .zero) {
            order.append("a")
            simulation.schedule(after: .zero) { order.append("c") }
            simulation.schedule(after: .zero) { order.append("d") }
        }
        simulation.schedule(at: .zero) { order.append("b") }
        simulation.run()
        #expect(order == ["a", "b", "c", "d"])
    }

    @Test func cancelledTimersDoNotFire() {
        let simulation = makeSimulation()
        let log = Log()
        var handles: [TimerHandle] = []
        let id = simulation.addProcess(named: "p") {
            Recorder(log: log, onStart: { context in
                for i in 0..<10 { handles.append(context.setTimer(after: .milliseconds(Int64(i + 1)), .tick(i))) }
            })
        }
        simulation.run(until: .zero)
        #expect(handles.count == 10)
        for (i, handle) in handles.enumerated() where i % 2 == 1 { simulation.cancelTimer(handle) }
        simulation.cancelTimer(handles[1])  // twice: harmless
        simulation.run()
        #expect(log.timers.map(\.message) == [0, 2, 4, 6, 8].map { .tick($0) })
        // A handle of a fired timer no longer cancels anything, even after its slot is reused.
        let later = simulation.setTimer(for: id, after: .seconds(1), .tick(99))
        simulation.cancelTimer(handles[0])
        simulation.run()
        #expect(log.timers.last?.message == .tick(99))
        _ = later
    }

    /// Long timeouts cancelled soon after they are set (an RPC answered in time) free their slots
    /// at once, and the queue sheds their keys: the run holds only what is still pending, and the
    /// timers left fire when and in the order they would have.
    @Test func cancelledTimersDoNotAccumulate() {
        let simulation = makeSimulation()
        let log = Log()
        var handles: [TimerHandle] = []
        let id = simulation.addProcess(named: "p") { Recorder(log: log) }
        simulation.run(until: .zero)
        var kept: [Int] = []
        for round in 0..<100 {
            simulation.schedule(at: SimTime(nanoseconds: Int64(round) * 1_000)) {
                for i in 0..<200 {
                    let n = round * 200 + i
                    handles.append(simulation.setTimer(for: id, after: .seconds(Int64(30 + n % 7)), .tick(n)))
                }
                // Every timer but one in fifty is answered at once.
                for (offset, handle) in handles.suffix(200).enumerated() where (round * 200 + offset) % 50 != 0 {
                    simulation.cancelTimer(handle)
                }
            }
        }
        for n in 0..<20_000 where n % 50 == 0 { kept.append(n) }
        simulation.run(until: SimTime(nanoseconds: 1_000_000))
        // 400 live timers; at most a compaction's threshold of stale keys besides.
        #expect(simulation.pendingEvents == 400)
        #expect(simulation.queuedKeys < 400 + 4_200)
        #expect(simulation.slotCount <= 400 + 200)
        simulation.run()
        let expected = kept.sorted { (30 + $0 % 7, $0) < (30 + $1 % 7, $1) }
        #expect(log.timers.map(\.message) == expected.map { .tick($0) })
    }

    @Test func runStopsAtTheDeadlineAndResumes() {
        let simulation = makeSimulation()
        var fired: [Int] = []
        for i in 1...5 { simulation.schedule(at: SimTime(nanoseconds: Int64(i) * 1_000_000_000)) { fired.append(i) } }
        #expect(simulation.run(until: SimTime(nanoseconds: 2_500_000_000)) == .deadlineReached)
        #expect(fired == [1, 2])
        #expect(simulation.now == SimTime(nanoseconds: 2_500_000_000))
        #expect(simulation.run() == .quiescent)
        #expect(fired == [1, 2, 3, 4, 5])
    }

    @Test func runStopsWhenTheConditionHolds() {
        let simulation = makeSimulation()
        var count = 0
        for i in 0..<100 { simulation.schedule(at: SimTime(nanoseconds: Int64(i))) { count += 1 } }
        #expect(simulation.run(stopWhen: { count == 10 }) == .conditionMet)
        #expect(count == 10)
    }

    /// Two processes that answer each other forever: the budget ends the run, and says so.
    @Test func eventBudgetEndsAnEndlessRun() {
        let simulation = makeSimulation(budget: 10_000)
        let echo: (TestMessage, ProcessID, ProcessContext<TestMessage>) -> Void = { message, sender, context in
            context.send(message, to: sender)
        }
        simulation.addProcess(named: "a") { Recorder(log: Log(), onReceive: echo) }
        let b = simulation.addProcess(named: "b") {
            Recorder(log: Log(), onStart: { $0.send(.value(1), to: ProcessID(index: 0)) }, onReceive: echo)
        }
        _ = b
        #expect(simulation.run() == .budgetExhausted)
        #expect(simulation.eventsProcessed == 10_000)
        #expect(simulation.recentEvents.last?.kind == .budget)
    }

    @Test func aNegativeTimerDelayIsAProgrammerError() async {
        await #expect(processExitsWith: .failure) {
            let simulation = Simulation<TestMessage>(seed: 1)
            let id = simulation.addProcess(named: "p") { Recorder(log: Log()) }
            _ = simulation.setTimer(for: id, after: SimDuration(nanoseconds: -1), .tick(0))
        }
    }
}
