import SimCore
import Testing

/// Stream (TCP) links: nothing lost, duplicated or reordered; partitions delay instead of drop.
@Suite struct StreamTransportTests {
    typealias Mesh = NetworkTests.Mesh

    func stream(_ latency: LatencyModel = .fixed(.microseconds(100)), drop: Double = 0, duplicate: Double = 0, reorder: Double = 0) -> LinkConfig {
        LinkConfig(latency: latency, transport: .stream, drop: drop, duplicate: duplicate, reorder: reorder)
    }

    @Test func lossDuplicationAndReorderingNeverShowOnAStream() {
        let lossy = stream(.uniform(min: .microseconds(1), max: .milliseconds(20)), drop: 0.3, duplicate: 0.3, reorder: 0.3)
        let mesh = Mesh(seed: 21, link: lossy, names: ["a", "b"], rounds: 5_000)
        mesh.simulation.run()
        #expect(mesh.received("b", from: "a") == Array(0..<5_000))
        #expect(mesh.received("a", from: "b") == Array(0..<5_000))
        // The same link as datagrams loses, duplicates and reorders.
        var datagrams = lossy
        datagrams.transport = .datagram
        let lossyMesh = Mesh(seed: 21, link: datagrams, names: ["a", "b"], rounds: 5_000)
        lossyMesh.simulation.run()
        #expect(lossyMesh.received("b", from: "a") != Array(0..<5_000))
    }

    @Test func aLostTransmissionArrivesAfterTheRetransmissionTimeout() {
        let simulation = makeSimulation(link: stream(.fixed(.milliseconds(1)), drop: 1))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        simulation.schedule(at: .zero) { simulation.send(.value(1), from: a, to: b) }
        simulation.run()
        // Every transmission is lost but the last allowed one: 200 + 400 + 800 ms, plus latency.
        #expect(log.received.map(\.time.nanoseconds) == [1_401_000_000])
    }

    @Test func aPartitionHoldsStreamMessagesUntilItHeals() {
        let mesh = Mesh(link: stream())
        let collector = TraceCollector()
        mesh.simulation.attach(sink: collector)
        let (a, b) = (mesh.ids["a"]!, mesh.ids["b"]!)
        mesh.simulation.schedule(.partition(name: "ab", sideA: [a], sideB: [b], oneWay: false), at: SimTime(nanoseconds: 20_500_000))
        mesh.simulation.schedule(.heal(name: "ab"), at: SimTime(nanoseconds: 60_500_000))
        mesh.simulation.run()
        #expect(mesh.received("b", from: "a") == Array(0..<100))
        #expect(mesh.received("a", from: "b") == Array(0..<100))
        #expect(collector.events.filter { $0.kind == .hold }.count == 80)
        #expect(!collector.events.contains { $0.kind == .drop })
        // Held messages arrive after the heal, at the next retransmission.
        let log = mesh.logs["b"]!
        let late = log.received.filter { $0.from == a && ($0.message == .value(21)) }
        #expect(late.first.map { $0.time.nanoseconds >= 60_500_000 + 200_000_000 } == true)
    }

    @Test func messagesInFlightWaitOutANewPartition() {
        let simulation = makeSimulation(link: stream(.fixed(.milliseconds(10))))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        simulation.schedule(at: .zero) { simulation.send(.value(1), from: a, to: b) }
        simulation.schedule(.partition(name: "p", sideA: [a], sideB: [b], oneWay: false), at: SimTime(nanoseconds: 5_000_000))
        simulation.schedule(at: SimTime(nanoseconds: 6_000_000)) { simulation.send(.value(2), from: a, to: b) }
        simulation.schedule(.heal(name: "p"), at: SimTime(nanoseconds: 1_000_000_000))
        simulation.run()
        #expect(log.values == [1, 2])
        #expect(log.received.allSatisfy { $0.time.nanoseconds > 1_000_000_000 })
    }

    /// Messages sent in the same instant and cut in flight keep their order (a transaction's
    /// BEGIN must not arrive after its first statement).
    @Test func messagesSentTogetherAndCutInFlightKeepTheirOrder() {
        let simulation = makeSimulation(link: stream(.fixed(.milliseconds(10))))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        simulation.schedule(at: .zero) {
            for i in 1...4 { simulation.send(.value(i), from: a, to: b) }
        }
        simulation.schedule(.partition(name: "p", sideA: [a], sideB: [b], oneWay: false), at: SimTime(nanoseconds: 5_000_000))
        simulation.schedule(.heal(name: "p"), at: SimTime(nanoseconds: 1_000_000_000))
        simulation.run()
        #expect(log.values == [1, 2, 3, 4])
    }

    /// A message held by a partition that heals goes again at the next retransmission; messages
    /// sent after it and still in flight wait behind it instead of overtaking it.
    @Test func messagesInFlightDoNotOvertakeAReleasedOne() {
        let simulation = makeSimulation(link: stream(.fixed(.milliseconds(10))))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        for i in 0..<3 {
            simulation.schedule(at: SimTime(nanoseconds: Int64(i) * 1_000_000)) { simulation.send(.value(i + 1), from: a, to: b) }
        }
        // Message 1 arrives (at 10ms) while the link is cut and is held; the heal comes before
        // messages 2 and 3 arrive (at 11 and 12ms).
        simulation.schedule(.partition(name: "p", sideA: [a], sideB: [b], oneWay: false), at: SimTime(nanoseconds: 9_000_000))
        simulation.schedule(.heal(name: "p"), at: SimTime(nanoseconds: 10_500_000))
        simulation.run()
        #expect(log.values == [1, 2, 3])
    }

    /// Two partitions in a row: what the second held joins the first one's waiting release, and
    /// a message still in flight from before takes its place by sending order.
    @Test func releasesOfTwoPartitionsInARowKeepTheSendingOrder() {
        let simulation = makeSimulation(link: stream(.fixed(.milliseconds(10))))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        let ms: (Double) -> SimTime = { SimTime(nanoseconds: Int64($0 * 1_000_000)) }
        simulation.schedule(at: ms(0)) { simulation.send(.value(1), from: a, to: b) }
        simulation.schedule(at: ms(5)) { simulation.send(.value(2), from: a, to: b) }
        simulation.schedule(at: ms(12)) { simulation.send(.value(3), from: a, to: b) }
        // Message 1 is held by the first partition; message 3 is sent during the second; message
        // 2, sent in between, arrives (at 15ms) after both have healed.
        simulation.schedule(.partition(name: "p1", sideA: [a], sideB: [b], oneWay: false), at: ms(9))
        simulation.schedule(.heal(name: "p1"), at: ms(10.5))
        simulation.schedule(.partition(name: "p2", sideA: [a], sideB: [b], oneWay: false), at: ms(11))
        simulation.schedule(.heal(name: "p2"), at: ms(13))
        simulation.run()
        #expect(log.values == [1, 2, 3])
    }

    @Test func heldMessagesOfARestartedSenderAreGone() {
        let simulation = makeSimulation(link: stream(.fixed(.milliseconds(1))))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        simulation.schedule(.partition(name: "p", sideA: [a], sideB: [b], oneWay: false), at: .zero)
        simulation.schedule(at: SimTime(nanoseconds: 1)) { simulation.send(.value(1), from: a, to: b) }
        simulation.schedule(.restart(a), at: SimTime(nanoseconds: 2))
        simulation.schedule(at: SimTime(nanoseconds: 3)) { simulation.send(.value(2), from: a, to: b) }
        simulation.schedule(.heal(name: "p"), at: SimTime(nanoseconds: 10_000_000))
        simulation.run()
        // The first connection died with the first incarnation; the second one's message arrives.
        #expect(log.values == [2])
    }

    @Test func aRestartedReceiverDoesNotWaitBehindMessagesToItsPredecessor() {
        let simulation = makeSimulation(link: stream(.fixed(.milliseconds(1))))
        let log = Log()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: log) }
        simulation.schedule(.clog(b, extraDelay: .seconds(5)), at: .zero)
        simulation.schedule(at: SimTime(nanoseconds: 1)) { simulation.send(.value(1), from: a, to: b) }
        simulation.schedule(.unclog(b), at: SimTime(nanoseconds: 2))
        simulation.schedule(.restart(b), at: SimTime(nanoseconds: 3))
        simulation.schedule(at: SimTime(nanoseconds: 4)) { simulation.send(.value(2), from: a, to: b) }
        simulation.run()
        #expect(log.values == [2])
        #expect(log.received.first?.time.nanoseconds == 1_000_004)
    }
}
