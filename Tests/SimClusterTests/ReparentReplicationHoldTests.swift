import SimCluster
import SimCore
import Testing

/// A replica whose replication an emergency reparent stopped leaves it stopped for the reparent
/// to decide, instead of reconnecting to the old primary on its next check (which could take in
/// transactions the new primary lacks: errant GTIDs); if nothing comes, it resumes.
@Suite struct ReparentReplicationHoldTests {
    @Test func replicationStoppedForAReparentStaysStoppedForAWhile() throws {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", shards: ["0"], replicas: 2, durability: .semiSync,
                                                        schema: "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(8))")])
        spec.orchestrator.enabled = false
        let cluster = try Cluster(spec: spec, seed: 5)
        let collector = TraceCollector()
        cluster.simulation.attach(sink: collector)
        cluster.simulation.run(until: seconds(2))
        let primary = cluster.shards[0].tablets[0]
        let replica = cluster.shards[0].tablets[1]
        let node = TabletConfiguration.mysqldName(replica.alias)
        func states(after time: SimTime) -> [String] {
            collector.events.filter { $0.kind == .state && $0.process == node && $0.time > time }.map(\.detail)
        }
        // The first step of an ERS, as VTOrc sends it (its answer goes nowhere).
        let stopped = cluster.simulation.now
        cluster.simulation.schedule(at: stopped) {
            cluster.simulation.send(.managerRequest(id: 999, request: .stopReplicationAndGetStatus), from: primary.tablet, to: replica.tablet)
        }
        // Checks every 500ms find replication stopped and leave it so during the hold (3s).
        cluster.simulation.run(until: stopped + .milliseconds(2_500))
        #expect(states(after: stopped) == ["replication_stopped"], "\(states(after: stopped))")
        // No reparent came: it resumes.
        cluster.simulation.run(until: stopped + .seconds(5))
        #expect(states(after: stopped).last == "replicating", "\(states(after: stopped))")
    }
}
