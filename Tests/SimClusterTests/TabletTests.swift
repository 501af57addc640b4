import SimCluster
import SimCore
import SQLSyntax
import Testing

/// Records every message it receives; tests send through it with `Simulation.send`.
final class Recorder: SimProcess {
    final class Log: DurableState {
        var tablet: [Int: TabletReply] = [:]
        /// When each tablet reply arrived.
        var tabletTimes: [Int: SimTime] = [:]
        var health: [(time: SimTime, report: HealthReport)] = []
        /// Results of statements sent straight to a MySQL node, by request, with their time.
        var mysql: [Int: (time: SimTime, result: Result<QueryResult, MySQLError>)] = [:]
        init() {}
    }
    let log: Log
    init(log: Log) { self.log = log }
    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        switch message {
        case .tabletReply(let id, let reply):
            log.tablet[id] = reply
            log.tabletTimes[id] = context.now
        case .mysqlResult(_, let request, let result): log.mysql[request] = (context.now, result)
        case .health(let report): log.health.append((context.now, report))
        default: break
        }
    }
}

extension TabletReply {
    var result: QueryResult? { if case .result(let r, _) = self { r } else { nil } }
    var transactionID: Int? { if case .result(_, let id) = self { id } else { nil } }
    var error: TabletError? { if case .failed(let e) = self { e } else { nil } }
}

@Suite struct TabletTests {
    struct Bed {
        let cluster: Cluster
        let log = Recorder.Log()
        let client: ProcessID
        var primary: Target { Target(keyspace: "ks", shard: "0", type: .primary) }
        var replica: Target { Target(keyspace: "ks", shard: "0", type: .replica) }

        init(seed: UInt64 = 1, durability: DurabilityPolicy = .semiSync, configure: (inout ClusterSpec) -> Void = { _ in }) throws {
            var spec = ClusterSpec(keyspaces: [KeyspaceSpec(
                name: "ks", replicas: 2, durability: durability,
                schema: "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0)")])
            configure(&spec)
            cluster = try Cluster(spec: spec, seed: seed)
            let log = self.log
            client = cluster.simulation.addProcess(named: "client-1", durable: log) { Recorder(log: $0) }
        }

        func send(_ id: Int, _ request: TabletRequest, to alias: String = "zone1-0000000101", at time: Double) {
            let simulation = cluster.simulation
            let from = client
            let to = simulation.processID(named: alias)!
            simulation.schedule(at: seconds(time)) { simulation.send(.tabletRequest(id: id, request: request), from: from, to: to) }
        }

        func run(until time: Double) { cluster.simulation.run(until: seconds(time)) }
    }

    @Test func replicasRefuseWritesAndServeReads() throws {
        let bed = try Bed()
        bed.send(1, .execute(target: bed.primary, sql: "UPDATE t SET v = 5 WHERE id = 1", bindings: [], transactionID: nil), at: 0.5)
        bed.send(2, .execute(target: bed.primary, sql: "UPDATE t SET v = 6 WHERE id = 1", bindings: [], transactionID: nil), to: "zone1-0000000102", at: 0.6)
        bed.send(3, .execute(target: bed.replica, sql: "SELECT v FROM t WHERE id = 1", bindings: [], transactionID: nil), to: "zone1-0000000102", at: 1.0)
        bed.send(4, .execute(target: bed.replica, sql: "UPDATE t SET v = 7", bindings: [], transactionID: nil), to: "zone1-0000000102", at: 1.1)
        bed.run(until: 2)
        #expect(bed.log.tablet[1]?.result?.rowsAffected == 1)
        #expect(bed.log.tablet[2]?.error?.code == .failedPrecondition)
        #expect(bed.log.tablet[3]?.result?.rows == [[.integer(5)]])
        #expect(bed.log.tablet[4]?.error?.mysql?.code == 1290)
    }

    @Test func transactionsHoldLocksUntilTheyEnd() throws {
        let bed = try Bed()
        bed.send(1, .beginExecute(target: bed.primary, sql: "UPDATE t SET v = v + 1 WHERE id = 1", bindings: []), at: 0.5)
        bed.run(until: 0.6)
        let tx = try #require(bed.log.tablet[1]?.transactionID)
        bed.send(2, .execute(target: bed.primary, sql: "UPDATE t SET v = v + 10 WHERE id = 1", bindings: [], transactionID: nil), at: 0.7)
        bed.send(3, .execute(target: bed.primary, sql: "SELECT v FROM t WHERE id = 1", bindings: [], transactionID: tx), at: 0.8)
        bed.send(4, .execute(target: bed.primary, sql: "SELECT v FROM t WHERE id = 1", bindings: [], transactionID: nil), at: 0.8)
        bed.run(until: 1.0)
        #expect(bed.log.tablet[2] == nil)  // waits for the transaction's lock
        #expect(bed.log.tablet[3]?.result?.rows == [[.integer(1)]])
        #expect(bed.log.tablet[4]?.result?.rows == [[.integer(0)]])
        bed.send(5, .commit(target: bed.primary, transactionID: tx), at: 1.1)
        bed.send(6, .execute(target: bed.primary, sql: "SELECT v FROM t WHERE id = 1", bindings: [], transactionID: nil), at: 1.5)
        bed.run(until: 2)
        #expect(bed.log.tablet[5]?.result?.gtid != nil)
        #expect(bed.log.tablet[2]?.result?.rowsAffected == 1)
        #expect(bed.log.tablet[6]?.result?.rows == [[.integer(11)]])
        bed.send(7, .commit(target: bed.primary, transactionID: tx), at: 2.1)
        bed.run(until: 2.5)
        #expect(bed.log.tablet[7]?.error?.code == .aborted)
    }

    @Test func aFullTransactionPoolQueuesThenRefuses() throws {
        let bed = try Bed { $0.tablet.transactionPoolSize = 2 }
        for i in 0..<3 {
            bed.send(i + 1, .beginExecute(target: bed.primary, sql: "SELECT \(i)", bindings: []), at: 0.5)
        }
        bed.run(until: 3)
        #expect(bed.log.tablet[1]?.transactionID != nil)
        #expect(bed.log.tablet[2]?.transactionID != nil)
        #expect(bed.log.tablet[3]?.error?.code == .resourceExhausted)
    }

    @Test func theKillerRollsBackOldTransactions() throws {
        let bed = try Bed { $0.tablet.transactionTimeout = .seconds(2) }
        bed.send(1, .beginExecute(target: bed.primary, sql: "UPDATE t SET v = 9 WHERE id = 2", bindings: []), at: 0.5)
        bed.run(until: 0.6)
        let tx = try #require(bed.log.tablet[1]?.transactionID)
        bed.send(2, .execute(target: bed.primary, sql: "UPDATE t SET v = 3 WHERE id = 2", bindings: [], transactionID: nil), at: 1.0)
        bed.send(3, .commit(target: bed.primary, transactionID: tx), at: 5)
        bed.run(until: 6)
        #expect(bed.cluster.observer.count(.tabletTransactionKilled) == 1)
        #expect(bed.log.tablet[2]?.result?.rowsAffected == 1)
        #expect(bed.log.tablet[3]?.error?.code == .aborted)
    }

    @Test func aTabletCrashEndsItsTransactionsOnTheNode() throws {
        let bed = try Bed()
        bed.send(1, .beginExecute(target: bed.primary, sql: "UPDATE t SET v = 9 WHERE id = 2", bindings: []), at: 0.5)
        let tablet = bed.cluster.simulation.processID(named: "zone1-0000000101")!
        bed.cluster.simulation.schedule(.crash(tablet, losingUnsynced: 0), at: seconds(1))
        bed.cluster.simulation.schedule(.restart(tablet), at: seconds(1.5))
        bed.send(2, .execute(target: bed.primary, sql: "UPDATE t SET v = 4 WHERE id = 2", bindings: [], transactionID: nil), at: 3)
        bed.run(until: 4)
        #expect(bed.log.tablet[1]?.transactionID != nil)
        #expect(bed.log.tablet[2]?.result?.rowsAffected == 1)
        let rows = try bed.cluster.storage(of: "zone1-0000000101")!.rows(of: "t")
        #expect(rows == [[.integer(1), .integer(0)], [.integer(2), .integer(4)]])
    }

    @Test func aNodeCrashLosesUncommittedWorkAndKeepsCommits() throws {
        let bed = try Bed()
        bed.send(1, .execute(target: bed.primary, sql: "UPDATE t SET v = 1 WHERE id = 1", bindings: [], transactionID: nil), at: 0.5)
        bed.send(2, .beginExecute(target: bed.primary, sql: "UPDATE t SET v = 2 WHERE id = 2", bindings: []), at: 0.6)
        let node = bed.cluster.simulation.processID(named: "zone1-0000000101-mysqld")!
        bed.cluster.simulation.schedule(.crash(node, losingUnsynced: 0), at: seconds(1))
        bed.cluster.simulation.schedule(.restart(node), at: seconds(1.2))
        bed.run(until: 0.9)
        let tx = try #require(bed.log.tablet[2]?.transactionID)
        bed.send(3, .commit(target: bed.primary, transactionID: tx), at: 1.5)
        bed.send(4, .execute(target: bed.primary, sql: "SELECT v FROM t ORDER BY id", bindings: [], transactionID: nil), at: 4)
        bed.run(until: 5)
        #expect(bed.log.tablet[3]?.error != nil)
        #expect(bed.log.tablet[4]?.result?.rows == [[.integer(1)], [.integer(0)]])
        #expect(bed.cluster.observer.count(.vtorcFixReadOnlyPrimary) >= 1)
    }

    @Test func replicationLagIsObservableInTheHealthStream() throws {
        let bed = try Bed(durability: .none) { $0.mysql.applyDelay = .milliseconds(200) }
        let replica = bed.cluster.simulation.processID(named: "zone1-0000000102")!
        let client = bed.client
        bed.cluster.simulation.schedule(at: seconds(0.1)) { [simulation = bed.cluster.simulation] in
            simulation.send(.healthSubscribe, from: client, to: replica)
        }
        for i in 0..<40 {
            bed.send(100 + i, .execute(target: bed.primary, sql: "INSERT INTO t VALUES (\(10 + i), 0)", bindings: [], transactionID: nil), at: 0.5 + Double(i) * 0.01)
        }
        bed.run(until: 12)
        let lags = bed.log.health.filter { $0.report.alias == "zone1-0000000102" }.map(\.report.lag)
        #expect(lags.contains { $0 > .milliseconds(500) })
        #expect(lags.last == .zero)
        #expect(bed.log.health.allSatisfy { $0.report.target.type == .replica })
    }

    @Test func semiSyncFallsBackToAsynchronousAfterItsTimeout() throws {
        let bed = try Bed { $0.mysql.semiSyncTimeout = .seconds(1) }
        let primary = bed.cluster.simulation.processID(named: "zone1-0000000101-mysqld")!
        let replicas = ["zone1-0000000102-mysqld", "zone1-0000000103-mysqld"].map { bed.cluster.simulation.processID(named: $0)! }
        bed.cluster.simulation.schedule(.partition(name: "cut", sideA: [primary], sideB: replicas, oneWay: false), at: seconds(0.4))
        bed.send(1, .execute(target: bed.primary, sql: "UPDATE t SET v = 1 WHERE id = 1", bindings: [], transactionID: nil), at: 0.5)
        bed.run(until: 1.2)
        #expect(bed.log.tablet[1] == nil)  // waiting for an acknowledgement
        bed.run(until: 2)
        #expect(bed.log.tablet[1]?.result?.rowsAffected == 1)
    }
}
