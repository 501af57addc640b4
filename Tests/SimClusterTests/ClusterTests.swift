import SimCluster
import SimCore
import SQLSyntax
import Testing

/// The storage half of the cluster running as processes: replication, failover, fencing.
@Suite struct ClusterTests {
    static let schema = "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(32))"

    func cluster(seed: UInt64 = 1, durability: DurabilityPolicy = .semiSync, replicas: Int = 2,
                 configure: (inout ClusterSpec) -> Void = { _ in }) throws -> (Cluster, WriteHistory) {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", replicas: replicas, durability: durability, schema: Self.schema)])
        configure(&spec)
        let cluster = try Cluster(spec: spec, seed: seed)
        let history = WriteHistory()
        cluster.addWriter(named: "client-1", keyspace: "ks", shard: "0", table: "t", interval: .milliseconds(20), firstID: 1, history: history)
        return (cluster, history)
    }

    func checksums(_ cluster: Cluster, _ alias: String) throws -> [UInt64] {
        try cluster.storage(of: alias)!.checksums().map(\.checksum)
    }

    @Test func writesReplicateToEveryReplica() throws {
        let (cluster, history) = try cluster()
        cluster.simulation.run(until: SimTime(nanoseconds: 5_000_000_000))
        let shard = cluster.shards[0]
        #expect(cluster.primary(of: shard) == "zone1-0000000101")
        #expect(history.acknowledged.count > 100, "only \(history.acknowledged.count) acknowledged of \(history.attempts.count)")
        let primary = try checksums(cluster, shard.tablets[0].alias)
        for replica in shard.tablets.dropFirst() {
            #expect(try checksums(cluster, replica.alias) == primary)
        }
        #expect(cluster.storage(of: "zone1-0000000102")!.executed == cluster.storage(of: "zone1-0000000101")!.executed)
    }
}

func seconds(_ s: Double) -> SimTime { SimTime(nanoseconds: Int64(s * 1_000_000_000)) }

extension ClusterTests {
    @Test func primaryCrashUnderSemiSyncLosesNoAcknowledgedWrite() throws {
        let (cluster, history) = try cluster(seed: 3)
        cluster.crashHost("zone1-0000000101", at: seconds(3))
        cluster.restartHost("zone1-0000000101", at: seconds(9))
        cluster.simulation.run(until: seconds(16))
        let shard = cluster.shards[0]
        #expect(cluster.observer.count(.vtorcDeadPrimary) >= 1)
        #expect(cluster.observer.count(.ersCompleted) == 1)
        let newPrimary = cluster.primary(of: shard)
        #expect(newPrimary != nil && newPrimary != "zone1-0000000101")
        #expect(ClusterInvariants.durability(cluster).isEmpty)
        #expect(ClusterInvariants.singlePrimary(cluster).isEmpty)
        #expect(ClusterInvariants.convergence(cluster).isEmpty, "\(ClusterInvariants.convergence(cluster))")
        // The writer went on after the failover.
        let late = history.acknowledged.filter { $0.gtid.server != 101 }
        #expect(late.count > 50)
        // The old primary came back as a replica (or was drained for errant transactions).
        #expect(cluster.observer.count(.tabletRejoined) + cluster.observer.count(.tabletDrainedErrant) >= 1)
    }

    /// The replicas stop hearing from the primary (clients still get their acks), then the
    /// primary's host dies and VTOrc runs an ERS.
    func laggingPrimaryCrashes(durability: DurabilityPolicy) throws -> (Cluster, WriteHistory) {
        let (cluster, history) = try cluster(seed: 4, durability: durability)
        let old = cluster.host("zone1-0000000101")
        let replicas = cluster.host("zone1-0000000102") + cluster.host("zone1-0000000103")
        cluster.simulation.schedule(.partition(name: "lag", sideA: old, sideB: replicas, oneWay: true), at: seconds(2))
        cluster.crashHost("zone1-0000000101", at: seconds(3))
        cluster.simulation.schedule(.heal(name: "lag"), at: seconds(3))
        cluster.simulation.run(until: seconds(10))
        return (cluster, history)
    }

    @Test func primaryCrashUnderAsyncReplicationLosesAcknowledgedWrites() throws {
        let (cluster, _) = try laggingPrimaryCrashes(durability: .none)
        #expect(cluster.observer.count(.ersCompleted) == 1)
        let findings = ClusterInvariants.durability(cluster)
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.message.contains("acknowledged commits of shard ks/0 are missing") == true)
    }

    @Test func theSamePartitionUnderSemiSyncLosesNothing() throws {
        let (cluster, history) = try laggingPrimaryCrashes(durability: .semiSync)
        #expect(cluster.observer.count(.ersCompleted) == 1)
        #expect(ClusterInvariants.durability(cluster).isEmpty)
        #expect(history.acknowledged.count > 50)
    }

    @Test func plannedReparentMovesThePrimaryWithoutLosingWrites() throws {
        let (cluster, _) = try cluster(seed: 5)
        cluster.requestReparent(ReparentRequest(kind: .planned, keyspace: "ks", shard: "0", newPrimary: "zone1-0000000103"), at: seconds(2))
        cluster.requestReparent(ReparentRequest(kind: .planned, keyspace: "ks", shard: "0"), at: seconds(5))
        cluster.simulation.run(until: seconds(9))
        let log = cluster.operatorLog
        #expect(log.reparents.count == 2)
        #expect(log.reparents.first.flatMap { try? $0.result?.get() } == "zone1-0000000103")
        #expect(log.reparents.last.flatMap { try? $0.result?.get() } != nil)
        #expect(cluster.observer.count(.prsCompleted) == 2)
        #expect(ClusterInvariants.durability(cluster).isEmpty)
        #expect(ClusterInvariants.singlePrimary(cluster).isEmpty)
        #expect(ClusterInvariants.convergence(cluster).isEmpty, "\(ClusterInvariants.convergence(cluster))")
    }

    @Test func aReturningOldPrimaryIsFencedByTheTerm() throws {
        let (cluster, _) = try cluster(seed: 6)
        let old = cluster.host("zone1-0000000101")
        let everyoneElse = cluster.simulation.processIDs.filter { !old.contains($0) }
        cluster.simulation.schedule(.partition(name: "island", sideA: old, sideB: everyoneElse, oneWay: false), at: seconds(2))
        cluster.simulation.schedule(.heal(name: "island"), at: seconds(8))
        cluster.simulation.run(until: seconds(14))
        #expect(cluster.observer.count(.ersCompleted) == 1)
        #expect(cluster.observer.count(.tabletFenced) >= 1)
        #expect(cluster.primary(of: cluster.shards[0]) != "zone1-0000000101")
        #expect(ClusterInvariants.singlePrimary(cluster).isEmpty)
        #expect(ClusterInvariants.durability(cluster).isEmpty)
    }

    @Test func splitBrainUnderAsyncReplicationIsCaught() throws {
        // The old primary keeps a client of its own on its side of the partition.
        let (cluster, _) = try cluster(seed: 7, durability: .none)
        let stranded = WriteHistory()
        cluster.addWriter(named: "client-2", keyspace: "ks", shard: "0", table: "t", interval: .milliseconds(20), firstID: 1_000_000, history: stranded)
        let island = cluster.host("zone1-0000000101") + [cluster.simulation.processID(named: "client-2")!]
        let rest = cluster.simulation.processIDs.filter { !island.contains($0) }
        cluster.simulation.schedule(.partition(name: "island", sideA: island, sideB: rest, oneWay: false), at: seconds(2))
        cluster.simulation.run(until: seconds(12))
        #expect(cluster.observer.count(.ersCompleted) == 1)
        let findings = ClusterInvariants.singlePrimary(cluster)
        #expect(!findings.isEmpty)
        #expect(findings.first?.message.contains("had two primaries accepting writes") == true)
    }

    @Test func emergencyReparentRefusesACandidateWithErrantTransactions() throws {
        let (cluster, _) = try cluster(seed: 8)
        cluster.runOnNode("zone1-0000000102", "INSERT INTO t (id, v) VALUES (-1, 'errant')", at: seconds(1))
        cluster.crashHost("zone1-0000000101", at: seconds(3))
        cluster.simulation.run(until: seconds(10))
        #expect(cluster.operatorLog.statements.first?.result.map { (try? $0.get()) != nil } == true)
        #expect(cluster.observer.count(.ersRefusedErrant) >= 1)
        #expect(cluster.primary(of: cluster.shards[0]) == "zone1-0000000103")
        #expect(cluster.observer.count(.tabletDrainedErrant) >= 1)
        #expect(cluster.isDrained("zone1-0000000102"))
    }

    @Test func aRestartedPrimaryNodeIsMadeWritableAgain() throws {
        let (cluster, history) = try cluster(seed: 9)
        let mysqld = cluster.simulation.processID(named: "zone1-0000000101-mysqld")!
        cluster.simulation.schedule(.crash(mysqld, losingUnsynced: 0), at: seconds(2))
        cluster.simulation.schedule(.restart(mysqld), at: seconds(2.3))
        cluster.simulation.run(until: seconds(8))
        #expect(cluster.observer.count(.vtorcFixReadOnlyPrimary) >= 1)
        #expect(cluster.primary(of: cluster.shards[0]) == "zone1-0000000101")
        #expect(history.acknowledged.filter { $0.gtid.server == 101 && $0.gtid.sequence > 120 }.count > 50)
    }
}

extension ClusterTests {
    /// A replica's MySQL node restarts while a partition holds both its new binlog dump and the
    /// events its source still streams to the old incarnation's stream. When the partition heals,
    /// those stale events must not be taken for the new stream's: they start after a gap, and
    /// applying them before the catch-up would put transactions out of order (the bank workload
    /// found a replica that had applied deletes before the inserts they delete).
    @Test func aRestartedReplicaIgnoresItsOldIncarnationsStream() throws {
        let (cluster, history) = try cluster(seed: 4)
        let sim = cluster.simulation
        let primary = try #require(sim.processID(named: "zone1-0000000101-mysqld"))
        let replica = try #require(sim.processID(named: "zone1-0000000102-mysqld"))
        sim.schedule(.crash(replica, losingUnsynced: 0), at: seconds(2))
        sim.schedule(.partition(name: "cut", sideA: [primary], sideB: [replica], oneWay: false), at: seconds(2.3))
        sim.schedule(.restart(replica), at: seconds(2.6))
        sim.schedule(.heal(name: "cut"), at: seconds(4))
        sim.run(until: seconds(8))
        let applied = try #require(cluster.storage(of: "zone1-0000000102")).binlog.map(\.gtid).filter { $0.server == 101 }.map(\.sequence)
        #expect(history.acknowledged.count > 100)
        #expect(applied.count > 100 && applied == applied.sorted(), "the replica applied \(Self.firstDisorder(applied))")
        #expect(ClusterInvariants.convergence(cluster).isEmpty)
    }

    static func firstDisorder(_ sequences: [Int64]) -> String {
        guard let i = sequences.indices.dropLast().first(where: { sequences[$0] > sequences[$0 + 1] }) else { return "in order" }
        return "\(sequences[i + 1]) after \(sequences[i])"
    }
}
