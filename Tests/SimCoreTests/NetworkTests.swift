import SimCore
import Testing

@Suite struct NetworkTests {
    /// Three processes; `a` and `b` each send one numbered message to each other process every ms.
    struct Mesh {
        let simulation: Simulation<TestMessage>
        let logs: [String: Log]
        let ids: [String: ProcessID]

        init(seed: UInt64 = 1, link: LinkConfig = .reliable, names: [String] = ["a", "b", "c"], rounds: Int = 100) {
            simulation = makeSimulation(seed: seed, link: link, budget: 10_000_000)
            var logs: [String: Log] = [:]
            var ids: [String: ProcessID] = [:]
            let count = names.count
            for name in names {
                let log = Log()
                logs[name] = log
                ids[name] = simulation.addProcess(named: name) { Recorder(log: log) }
            }
            self.logs = logs
            self.ids = ids
            let simulation = self.simulation
            for (index, name) in names.enumerated() {
                let from = ids[name]!
                for round in 0..<rounds {
                    simulation.schedule(at: SimTime(nanoseconds: Int64(round) * 1_000_000)) {
                        for other in 0..<count where other != index {
                            simulation.send(.value(round), from: from, to: ProcessID(index: Int32(other)))
                        }
                    }
                }
            }
        }

        func received(_ name: String, from sender: String) -> [Int] {
            let id = ids[sender]!
            return logs[name]!.received.filter { $0.from == id }.compactMap {
                if case .value(let n) = $0.message { n } else { nil }
            }
        }
    }

    @Test func reliableLinksDeliverEverythingInOrder() {
        let mesh = Mesh()
        mesh.simulation.run()
        #expect(mesh.received("b", from: "a") == Array(0..<100))
        #expect(mesh.received("a", from: "c") == Array(0..<100))
    }

    @Test func symmetricPartitionCutsBothWaysUntilHealed() {
        let mesh = Mesh()
        let (a, b) = (mesh.ids["a"]!, mesh.ids["b"]!)
        mesh.simulation.schedule(.partition(name: "ab", sideA: [a], sideB: [b], oneWay: false),
                                 at: SimTime(nanoseconds: 20_500_000))
        mesh.simulation.schedule(.heal(name: "ab"), at: SimTime(nanoseconds: 60_500_000))
        mesh.simulation.run()
        let expected = Array(0...19) + Array(61..<100)
        #expect(mesh.received("b", from: "a") == expected)
        #expect(mesh.received("a", from: "b") == expected)
        // c is on neither side.
        #expect(mesh.received("c", from: "a") == Array(0..<100))
        #expect(mesh.received("a", from: "c") == Array(0..<100))
        let drops = mesh.simulation.recentEvents.filter { $0.kind == .drop && $0.detail == "partition" }
        #expect(!drops.isEmpty)
    }

    @Test func oneWayPartitionCutsOneDirectionOnly() {
        let mesh = Mesh()
        let (a, b) = (mesh.ids["a"]!, mesh.ids["b"]!)
        mesh.simulation.schedule(.partition(name: nil, sideA: [a], sideB: [b], oneWay: true), at: .zero)
        mesh.simulation.run()
        #expect(mesh.received("b", from: "a").isEmpty)
        #expect(mesh.received("a", from: "b") == Array(0..<100))
    }

    @Test func healAllHealsEveryPartitionAndOverlapsHealIndependently() {
        let mesh = Mesh()
        let (a, b, c) = (mesh.ids["a"]!, mesh.ids["b"]!, mesh.ids["c"]!)
        let sim = mesh.simulation
        sim.schedule(.partition(name: "one", sideA: [a], sideB: [b, c], oneWay: false), at: .zero)
        sim.schedule(.partition(name: "two", sideA: [a, c], sideB: [b], oneWay: false), at: .zero)
        // Healing "one" leaves a↮b cut by "two"; healing all reopens it.
        sim.schedule(.heal(name: "one"), at: SimTime(nanoseconds: 30_500_000))
        sim.schedule(.heal(name: nil), at: SimTime(nanoseconds: 70_500_000))
        sim.run()
        #expect(mesh.received("b", from: "a") == Array(71..<100))
        #expect(mesh.received("c", from: "a") == Array(31..<100))
        #expect(mesh.received("b", from: "c") == Array(71..<100))
    }

    @Test func messagesInFlightAreCutByANewPartition() {
        let link = LinkConfig(latency: .fixed(.milliseconds(10)))
        let simulation = makeSimulation(link: link)
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        simulation.schedule(at: .zero) { simulation.send(.value(1), from: a, to: b) }
        simulation.schedule(.partition(name: nil, sideA: [a], sideB: [b], oneWay: false), at: SimTime(nanoseconds: 5_000_000))
        simulation.run()
        #expect(log.received.isEmpty)
    }

    @Test(arguments: [0.05, 0.2, 0.5])
    func dropRateIsObservedWithinBounds(rate: Double) {
        let mesh = Mesh(seed: 11, link: LinkConfig(latency: .fixed(.microseconds(100)), drop: rate),
                        names: ["a", "b"], rounds: 20_000)
        mesh.simulation.run()
        let delivered = mesh.received("b", from: "a").count + mesh.received("a", from: "b").count
        let observed = 1 - Double(delivered) / 40_000
        #expect(abs(observed - rate) < 0.015, "observed drop rate \(observed) for \(rate)")
    }

    @Test func duplicateRateIsObservedWithinBounds() {
        let mesh = Mesh(seed: 12, link: LinkConfig(latency: .uniform(min: .microseconds(10), max: .microseconds(500)), duplicate: 0.1),
                        names: ["a", "b"], rounds: 20_000)
        mesh.simulation.run()
        let got = mesh.received("b", from: "a")
        let extra = Double(got.count - 20_000) / 20_000
        #expect(abs(extra - 0.1) < 0.015, "observed duplicate rate \(extra)")
        #expect(Set(got) == Set(0..<20_000))
    }

    @Test func linksAreFifoUnlessReordered() {
        let jittery = LinkConfig(latency: .uniform(min: .microseconds(1), max: .milliseconds(50)))
        let fifo = Mesh(seed: 13, link: jittery, names: ["a", "b"], rounds: 2_000)
        fifo.simulation.run()
        #expect(fifo.received("b", from: "a") == Array(0..<2_000))

        var reordering = jittery
        reordering.reorder = 0.2
        let mesh = Mesh(seed: 13, link: reordering, names: ["a", "b"], rounds: 20_000)
        mesh.simulation.run()
        let got = mesh.received("b", from: "a")
        #expect(got.count == 20_000)
        #expect(Set(got) == Set(0..<20_000))
        // A message delivered after a higher-numbered one was overtaken.
        var highest = -1
        var overtaken = 0
        for n in got {
            if n < highest { overtaken += 1 }
            highest = max(highest, n)
        }
        // Reordered messages skip the link's FIFO clamp, so they overtake and are overtaken.
        let share = Double(overtaken) / 20_000
        #expect(share > 0.05 && share < 0.8, "overtaken share \(share)")
    }

    @Test func longTailLatencyHasItsMedianAndCap() {
        var random = RandomStream(rootSeed: 14, label: "latency")
        let model = LatencyModel.longTail(min: .milliseconds(1), median: .milliseconds(3), max: .seconds(1))
        let samples = (0..<50_000).map { _ in model.sample(&random).nanoseconds }.sorted()
        let median = samples[samples.count / 2]
        #expect(abs(median - 3_000_000) < 100_000)
        #expect(samples.first! >= 1_000_000 && samples.last! <= 1_000_000_000)
        // P(delay > min + 2ms * 99) = 1/100.
        let tail = Double(samples.filter { $0 > 1_000_000 + 2_000_000 * 99 }.count) / 50_000
        #expect(abs(tail - 0.01) < 0.003)
    }

    @Test func clogDelaysEveryLinkOfAProcess() {
        let simulation = makeSimulation(link: LinkConfig(latency: .fixed(.milliseconds(1))))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        simulation.schedule(.clog(b, extraDelay: .milliseconds(500)), at: .zero)
        simulation.schedule(at: SimTime(nanoseconds: 1)) { simulation.send(.value(1), from: a, to: b) }
        simulation.schedule(.unclog(b), at: SimTime(nanoseconds: 2))
        simulation.schedule(at: SimTime(nanoseconds: 3)) { simulation.send(.value(2), from: a, to: b) }
        simulation.run()
        #expect(log.received.map(\.message) == [.value(1), .value(2)])
        #expect(log.received[0].time.nanoseconds == 501_000_001)
        // FIFO: the second message waits behind the clogged first.
        #expect(log.received[1].time.nanoseconds == 501_000_001)
    }

    @Test func degradeMakesAProcessLinksLossyUntilRestored() {
        let mesh = Mesh(seed: 15, link: LinkConfig(latency: .fixed(.microseconds(10))), names: ["a", "b"], rounds: 10_000)
        let b = mesh.ids["b"]!
        mesh.simulation.schedule(.degrade(b, drop: 0.5, duplicate: 0, reorder: 0), at: .zero)
        mesh.simulation.schedule(.restore(b), at: SimTime(nanoseconds: 5_000_000_000 - 500_000))
        mesh.simulation.run()
        let firstHalf = mesh.received("b", from: "a").filter { $0 < 5_000 }.count
        let secondHalf = mesh.received("b", from: "a").filter { $0 >= 5_000 }.count
        #expect(abs(Double(firstHalf) / 5_000 - 0.5) < 0.03)
        #expect(secondHalf == 5_000)
    }
}
