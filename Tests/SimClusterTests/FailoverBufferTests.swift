@testable import SimCluster
import SimCore
import Testing

/// The gateway's failover buffer: its state machine alone, and a planned reparent through a
/// gateway with and without it.
@Suite struct FailoverBufferTests {
    static func at(_ ms: Int64) -> SimTime { SimTime(nanoseconds: ms * 1_000_000) }

    @Test func aFailoverErrorStartsBufferingAndAServingPrimaryEndsIt() {
        var configuration = FailoverBufferConfiguration()
        configuration.size = 2
        let buffer = FailoverBuffer(configuration: configuration)
        let (first, started) = buffer.buffer("ks/-80", batch: 1, index: 0, failedPrimary: "a", now: Self.at(0))
        #expect(started && buffer.state(of: "ks/-80") == .buffering(since: Self.at(0), failedPrimary: "a"))
        guard case .buffered(let e1, nil) = first else { Issue.record("not buffered"); return }
        #expect(e1.deadline == Self.at(10_000))
        _ = buffer.buffer("ks/-80", batch: 2, index: 0, failedPrimary: "a", now: Self.at(1))
        // Full: the oldest request of the shard makes room.
        let (third, _) = buffer.buffer("ks/-80", batch: 3, index: 0, failedPrimary: "a", now: Self.at(2))
        guard case .buffered(_, let evicted?) = third else { Issue.record("nothing evicted"); return }
        #expect(evicted == e1)
        // Full, and this shard holds nothing to evict: not buffered.
        #expect(buffer.buffer("ks/80-", batch: 4, index: 0, failedPrimary: "b", now: Self.at(3)).0 == .pass)
        // A serving primary ends the failover: the queue comes back in arrival order.
        #expect(buffer.primaryServing("ks/-80", now: Self.at(500)).map(\.batch) == [2, 3])
        #expect(buffer.state(of: "ks/-80") == .idle)
        // Too soon after the last failover: not buffered.
        #expect(buffer.buffer("ks/-80", batch: 5, index: 0, failedPrimary: "c", now: Self.at(20_000)).0 == .pass)
        #expect(buffer.buffer("ks/-80", batch: 6, index: 0, failedPrimary: "c", now: Self.at(61_000)).1)
    }

    @Test func theWindowAndTheFailoverLimitEndBuffering() {
        let buffer = FailoverBuffer(configuration: FailoverBufferConfiguration())
        guard case (.buffered(let entry, nil), true) = buffer.buffer("ks/-80", batch: 1, index: 0, failedPrimary: nil, now: Self.at(0)) else {
            Issue.record("not buffered")
            return
        }
        _ = buffer.buffer("ks/-80", batch: 2, index: 0, failedPrimary: nil, now: Self.at(5))
        #expect(buffer.expire(entry.id) == entry && buffer.expire(entry.id) == nil)
        #expect(buffer.failoverLimitReached("ks/-80", since: Self.at(1), now: Self.at(20_000)).isEmpty, "another failover's limit")
        #expect(buffer.failoverLimitReached("ks/-80", since: Self.at(0), now: Self.at(20_000)).map(\.batch) == [2])
    }

    @Test func onlyFailoverErrorsAreBuffered() {
        #expect(FailoverBuffer.causedByFailover(TabletError(.unavailable, "operation not allowed in state NOT_SERVING")))
        #expect(FailoverBuffer.causedByFailover(TabletError(.failedPrecondition, "zone1-0000000101 is being demoted")))
        #expect(FailoverBuffer.causedByFailover(TabletError(mysql: .readOnly)))
        #expect(!FailoverBuffer.causedByFailover(TabletError(.deadlineExceeded, "query timed out")))
        #expect(!FailoverBuffer.causedByFailover(TabletError(mysql: .duplicateEntry("1", key: "PRIMARY"))))
    }

    /// Writes through a gateway while shard -80 goes through a planned reparent: without the
    /// buffer some fail; with it none does, and the buffer ran.
    @Test(arguments: [false, true])
    func aPlannedReparentIsInvisibleWithTheBuffer(buffered: Bool) throws {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", shards: ["-80", "80-"], replicas: 2, durability: .semiSync,
                                                        schema: TwoPhaseCommitTests.schema, vschema: TwoPhaseCommitTests.vschema)])
        spec.gateways = 1
        if buffered { spec.gatewayBuffer = FailoverBufferConfiguration() }
        let cluster = try Cluster(spec: spec, seed: 3)
        let histories = (1...3).map { _ in GatewayHistory() }
        for (c, history) in histories.enumerated() {
            cluster.addGatewayClient(named: "client-\(c + 1)", script: (1...150).map { "INSERT INTO t (id, v, n) VALUES (\(c * 1000 + $0), 'x', 0)" },
                                     interval: .milliseconds(20), timeout: .seconds(8), history: history)
        }
        cluster.requestReparent(ReparentRequest(kind: .planned, keyspace: "ks", shard: "-80"), at: Self.at(1000))
        cluster.simulation.run(until: seconds(10))
        let failed = histories.flatMap(\.entries).filter { if case .ok? = $0.outcome { false } else { true } }
        let failures = failed.count
        #expect(cluster.observer.count(.prsCompleted) == 1)
        if buffered {
            #expect(failures == 0 && cluster.observer.count(.gatewayBuffered) > 0 && cluster.observer.count(.gatewayBufferDrained) == 1)
        } else {
            #expect(failures > 0 && cluster.observer.count(.gatewayBuffered) == 0)
        }
        #expect(ClusterInvariants.durability(cluster).isEmpty)
    }
}
