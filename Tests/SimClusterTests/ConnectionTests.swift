import SimCluster
import SimCore
import SQLSyntax
import Testing

/// Connections between tablets and MySQL nodes: one statement at a time, restarts, kills.
@Suite struct ConnectionTests {
    typealias Bed = TabletTests.Bed

    /// Sends `sql` on `connection` straight to a MySQL node, as a DBA.
    func query(_ bed: Bed, _ request: Int, _ sql: String, connection: Int, opening: Bool = false,
               node: String = "zone1-0000000101-mysqld", at time: Double) {
        let simulation = bed.cluster.simulation
        let (from, to) = (bed.client, simulation.processID(named: node)!)
        simulation.schedule(at: seconds(time)) {
            simulation.send(.mysqlQuery(connection: connection, request: request, sql: sql, bindings: [], opening: opening, privileged: true),
                            from: from, to: to)
        }
    }

    @Test func aConnectionRunsOneStatementAtATime() throws {
        let bed = try Bed(durability: .none)
        query(bed, 1, "BEGIN", connection: 1, opening: true, at: 0.5)
        query(bed, 2, "UPDATE t SET v = 1 WHERE id = 1", connection: 1, at: 0.5)
        // Connection 2 waits for the row lock; its next statement waits behind it.
        query(bed, 3, "UPDATE t SET v = 2 WHERE id = 1", connection: 2, opening: true, at: 0.6)
        query(bed, 4, "SELECT v FROM t WHERE id = 1", connection: 2, at: 0.6)
        query(bed, 5, "COMMIT", connection: 1, at: 1.0)
        bed.run(until: 2)
        let log = bed.log
        #expect(try log.mysql[3]?.result.get().rowsAffected == 1)
        // Run after the UPDATE it queued behind, it sees that UPDATE's value.
        #expect(try log.mysql[4]?.result.get().rows == [[.integer(2)]])
        let (updated, selected) = (try #require(log.mysql[3]?.time), try #require(log.mysql[4]?.time))
        #expect(updated >= seconds(1.0) && selected >= updated)
    }

    @Test func aClosedConnectionDropsTheStatementsQueuedOnIt() throws {
        let bed = try Bed(durability: .none)
        query(bed, 1, "BEGIN", connection: 1, opening: true, at: 0.5)
        query(bed, 2, "UPDATE t SET v = 1 WHERE id = 1", connection: 1, at: 0.5)
        query(bed, 3, "UPDATE t SET v = 2 WHERE id = 1", connection: 2, opening: true, at: 0.6)
        query(bed, 4, "UPDATE t SET v = 3 WHERE id = 2", connection: 2, at: 0.6)
        let simulation = bed.cluster.simulation
        let (from, node) = (bed.client, simulation.processID(named: "zone1-0000000101-mysqld")!)
        simulation.schedule(at: seconds(0.8)) { simulation.send(.mysqlClose(connection: 2), from: from, to: node) }
        query(bed, 5, "COMMIT", connection: 1, at: 1.0)
        bed.run(until: 2)
        #expect(bed.log.mysql[3].map { (try? $0.result.get()) == nil } == true)  // interrupted
        #expect(bed.log.mysql[4] == nil)
        #expect(try bed.cluster.storage(of: "zone1-0000000101")!.rows(of: "t") == [[.integer(1), .integer(1)], [.integer(2), .integer(0)]])
    }

    @Test func aTabletLearnsOfANodeRestartWithoutWaitingForItsQueryTimeout() throws {
        let bed = try Bed(durability: .none)
        let node = bed.cluster.simulation.processID(named: "zone1-0000000101-mysqld")!
        bed.cluster.simulation.schedule(.crash(node, losingUnsynced: 0), at: seconds(1))
        // More statements than the pool has connections, all lost with the node.
        for i in 0..<10 {
            bed.send(i, .execute(target: bed.primary, sql: "UPDATE t SET v = \(i) WHERE id = 1", bindings: [], transactionID: nil), at: 1.1)
        }
        bed.cluster.simulation.schedule(.restart(node), at: seconds(1.3))
        bed.send(20, .execute(target: bed.primary, sql: "UPDATE t SET v = 20 WHERE id = 2", bindings: [], transactionID: nil), at: 4)
        bed.run(until: 5)
        let lost = (0..<8).compactMap { bed.log.tablet[$0]?.error }
        #expect(lost.count == 8 && lost.allSatisfy { $0.code == .unavailable }, "\(lost)")
        #expect((0..<8).allSatisfy { (bed.log.tabletTimes[$0] ?? .distantFuture) < seconds(2.5) })
        // The pool is whole again: a later write goes through.
        #expect(bed.log.tablet[20]?.result?.rowsAffected == 1)
    }

    @Test func aDemotedPrimaryKillsStatementsWaitingForAnAckInsteadOfCompletingThem() throws {
        let bed = try Bed()
        let simulation = bed.cluster.simulation
        let primary = simulation.processID(named: "zone1-0000000101-mysqld")!
        let replicas = ["zone1-0000000102-mysqld", "zone1-0000000103-mysqld"].map { simulation.processID(named: $0)! }
        simulation.schedule(.partition(name: "acks", sideA: [primary], sideB: replicas, oneWay: false), at: seconds(0.4))
        bed.send(1, .execute(target: bed.primary, sql: "UPDATE t SET v = 1 WHERE id = 1", bindings: [], transactionID: nil), at: 0.5)
        bed.cluster.requestReparent(ReparentRequest(kind: .emergency, keyspace: "ks", shard: "0"), at: seconds(1))
        bed.run(until: 6)
        #expect(bed.cluster.observer.count(.ersCompleted) == 1)
        #expect(bed.cluster.observer.count(.tabletDemotionKilledQueries) == 1)
        // Switching semi-sync off on the old primary released the commit, but nobody was told.
        #expect(bed.log.tablet[1]?.error?.code == .aborted)
        #expect(ClusterInvariants.singlePrimary(bed.cluster).isEmpty)
    }

    @Test func aReplicaWithTransactionsItsSourceLacksIsRefusedAndDrained() throws {
        let bed = try Bed(durability: .none)
        let simulation = bed.cluster.simulation
        let node = simulation.processID(named: "zone1-0000000102-mysqld")!
        let client = bed.client
        // A write on the replica itself: an errant transaction.
        query(bed, 1, "UPDATE t SET v = 7 WHERE id = 2", connection: 1, opening: true, node: "zone1-0000000102-mysqld", at: 0.5)
        simulation.schedule(at: seconds(0.6)) { simulation.send(.mysqlAdmin(request: 1, command: .stopReplication), from: client, to: node) }
        simulation.schedule(at: seconds(0.7)) {
            simulation.send(.mysqlAdmin(request: 2, command: .startReplication(source: "zone1-0000000101-mysqld")), from: client, to: node)
        }
        let collector = TraceCollector()
        simulation.attach(sink: collector)
        bed.run(until: 3)
        #expect(collector.events.contains { $0.kind == .state && $0.detail == "replication_error" && $0.process == "zone1-0000000102-mysqld" })
        #expect(collector.events.contains { $0.kind == .deliver && $0.messageName == "binlog_error" && $0.jsonLine.contains("1236") })
        #expect(bed.cluster.isDrained("zone1-0000000102"))
    }

    @Test func aRestartedPrimaryTakesItsRoleBackOnlyUnderTheShardLock() throws {
        let bed = try Bed(durability: .none)
        let simulation = bed.cluster.simulation
        let (client, topo) = (bed.client, simulation.processID(named: "topo")!)
        let tablet = simulation.processID(named: "zone1-0000000101")!
        let lock = "/locks/ks/0"
        simulation.schedule(at: seconds(1)) {
            simulation.send(.topoRequest(id: 1, request: .lock(lock, owner: "someone", lease: .seconds(30))), from: client, to: topo)
        }
        simulation.schedule(.crash(tablet, losingUnsynced: 0), at: seconds(1.5))
        simulation.schedule(.restart(tablet), at: seconds(1.6))
        bed.send(1, .execute(target: bed.primary, sql: "UPDATE t SET v = 1 WHERE id = 1", bindings: [], transactionID: nil), at: 3)
        simulation.schedule(at: seconds(3.5)) {
            simulation.send(.topoRequest(id: 2, request: .unlock(lock, owner: "someone")), from: client, to: topo)
        }
        bed.send(2, .execute(target: bed.primary, sql: "UPDATE t SET v = 2 WHERE id = 1", bindings: [], transactionID: nil), at: 5)
        bed.run(until: 6)
        #expect(bed.log.tablet[1]?.error?.code == .failedPrecondition)  // still a replica while the lock is held
        #expect(bed.log.tablet[2]?.result?.rowsAffected == 1)
    }
}
