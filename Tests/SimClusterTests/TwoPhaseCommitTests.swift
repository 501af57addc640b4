@testable import SimCluster
import SimCore
import SQLSyntax
import Testing

/// Atomic distributed commit through the gateway process: the coordinator's phases, the
/// participants' sidecar records, fault points, redo replay and the resolver.
@Suite struct TwoPhaseCommitTests {
    static let schema = "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(32), n INT)"
    static let vschema = """
        {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
         "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
        """
    /// Rows 1 and 2 live on different shards of `-80,80-` (hash vindex).
    static let transaction = [
        "SET transaction_mode = 'TWOPC'", "BEGIN",
        "INSERT INTO t (id, v, n) VALUES (1, 'a', 0)", "INSERT INTO t (id, v, n) VALUES (2, 'b', 0)",
        "INSERT INTO t (id, v, n) VALUES (3, 'c', 0)", "INSERT INTO t (id, v, n) VALUES (4, 'd', 0)",
        "COMMIT",
    ]

    static func cluster(seed: UInt64, durability: DurabilityPolicy = .semiSync, gateways: Int = 1,
                        mutants: TwoPCMutants = []) throws -> Cluster {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", shards: ["-80", "80-"], replicas: 2, durability: durability,
                                                        schema: schema, vschema: vschema)])
        spec.gateways = gateways
        spec.mutants = mutants
        return try Cluster(spec: spec, seed: seed)
    }

    /// The binlog's row changes of `table` on the shard's primary, as `kind state` strings.
    static func changes(_ cluster: Cluster, shard: Int, table: String) throws -> [String] {
        let primary = try #require(cluster.primary(of: cluster.shards[shard]))
        let storage = try #require(cluster.storage(of: primary))
        return storage.binlog.flatMap { entry -> [String] in
            guard case .rows(let changes) = entry.event else { return [] }
            return changes.filter { $0.table == table }.map { "\($0.kind)" }
        }
    }

    static func rows(_ cluster: Cluster, _ table: String) throws -> Int {
        try cluster.shards.reduce(0) { $0 + (try cluster.storage(of: cluster.primary(of: $1)!)!.rows(of: table).count) }
    }

    @Test func aTransactionAcrossShardsCommitsThroughEveryPhase() throws {
        let cluster = try Self.cluster(seed: 11)
        let history = GatewayHistory()
        cluster.addGatewayClient(named: "client-1", script: Self.transaction + ["SELECT id FROM t ORDER BY id", "SHOW UNRESOLVED TRANSACTIONS"], history: history)
        cluster.simulation.run(until: seconds(4))
        let outcomes = history.entries.map(\.outcome)
        #expect(outcomes.allSatisfy { if case .ok? = $0 { true } else { false } }, "\(outcomes)")
        guard outcomes.count == 9, case .ok(let rows)? = outcomes[7], case .ok(let unresolved)? = outcomes[8] else { return }
        #expect(rows.rows == [[.integer(1)], [.integer(2)], [.integer(3)], [.integer(4)]])
        #expect(unresolved.rows.isEmpty)
        let o = cluster.observer
        #expect(o.count(.twoPCPrepared) == 1 && o.count(.twoPCDecidedCommit) == 1 && o.count(.twoPCCommitPrepared) == 1
                && o.count(.twoPCCommitted) == 1, "\(o.marks)")
        // The metadata manager is the first shard the transaction reached; the record is
        // inserted, moved to COMMIT with the MM's rows, and deleted. The RM's redo log is
        // written at prepare and deleted with its commit.
        let mm = try #require(o.distributedCommits.first)
        let mmShard = mm.parts[0].shard == "ks/-80" ? 0 : 1
        #expect(try Self.changes(cluster, shard: mmShard, table: "_vt_dt_state") == ["insert", "update", "delete"])
        #expect(try Self.changes(cluster, shard: mmShard, table: "_vt_dt_participant") == ["insert", "delete"])
        #expect(try Self.changes(cluster, shard: 1 - mmShard, table: "_vt_redo_state") == ["insert", "delete"])
        let rmRows = try Self.changes(cluster, shard: 1 - mmShard, table: "t").count
        #expect(try Self.changes(cluster, shard: 1 - mmShard, table: "_vt_redo_statement")
                 == Array(repeating: "insert", count: rmRows) + Array(repeating: "delete", count: rmRows))
        #expect(try Self.rows(cluster, "_vt_dt_state") + Self.rows(cluster, "_vt_redo_state") == 0)
    }

    /// The outcome of the script's COMMIT (the last statement of `transaction`).
    static func commitOutcome(_ history: GatewayHistory) -> GatewayHistory.Outcome? {
        history.entries.count >= transaction.count ? history.entries[transaction.count - 1].outcome : nil
    }

    @Test func twoPCIsRefusedWithoutSemiSync() throws {
        let cluster = try Self.cluster(seed: 12, durability: .none)
        let history = GatewayHistory()
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: history)
        cluster.simulation.run(until: seconds(4))
        guard case .failed(let error)? = Self.commitOutcome(history) else { Issue.record("the commit was accepted"); return }
        #expect(error.message.contains("VT10002"), "\(error)")
        #expect(try Self.rows(cluster, "t") == 0)
    }

    /// Each fault point, and how the transaction ends: rolled back by the coordinator, or left
    /// to the resolver, which finishes it as its record says once it is older than the abandon age.
    @Test(arguments: [
        ("TRCreated_FailNow", false, ClusterMark.twoPCResolvedRollback),
        ("RMPrepare_-80_FailNow", false, ClusterMark.twoPCRolledBack),
        ("RMPrepare_80-_FailNow", false, ClusterMark.twoPCRolledBack),
        ("RMPrepared_FailNow", false, ClusterMark.twoPCRolledBack),
        ("MMCommitted_FailNow", true, ClusterMark.twoPCResolvedCommit),
        ("RMCommit_-80_FailNow", true, ClusterMark.twoPCResolvedCommit),
        ("RMCommit_80-_FailNow", true, ClusterMark.twoPCResolvedCommit),
    ])
    func aFaultPointEndsTheTransactionAtomically(point: String, commits: Bool, mark: ClusterMark) throws {
        let cluster = try Self.cluster(seed: 13)
        let fault = try #require(TwoPCFaultPoint(name: point))
        cluster.faultPoints.arm(fault)
        let history = GatewayHistory()
        cluster.addGatewayClient(named: "client-1", script: Self.transaction + ["SHOW WARNINGS"], history: history)
        cluster.simulation.run(until: seconds(8))
        // The shard named in a per-shard point may be the metadata manager, which neither
        // prepares nor commits prepared: then the point never fires and the commit succeeds.
        if cluster.faultPoints.fired.isEmpty {
            #expect(point.hasPrefix("RMPrepare_") || point.hasPrefix("RMCommit_"))
            #expect(try Self.rows(cluster, "t") == 4)
            return
        }
        guard case .failed(let error)? = Self.commitOutcome(history) else { Issue.record("the commit succeeded"); return }
        #expect(error.message.contains("fault point \(point) fired"), "\(error)")
        // The warning says what becomes of the transaction (Vitess's ERInAtomicRecovery).
        guard case .ok(let warnings)? = history.entries.last?.outcome, let warning = warnings.rows.first else {
            Issue.record("no warning")
            return
        }
        #expect(warning[1] == .integer(302))
        let expected = commits ? (point.hasPrefix("MM") ? "metadata manager commit; transaction will be committed/rollbacked"
                                                        : "resource manager commit; transaction will be committed on recovery")
                               : (point.hasPrefix("TR") ? "transaction record creation; rollback attempted" : "transaction prepare phase; prepare transaction rollback attempted")
        #expect(warning[2].description.contains("distributed transaction ID failed during \(expected)"), "\(warning)")
        #expect(cluster.observer.count(mark) >= 1, "\(cluster.observer.marks)")
        #expect(try Self.rows(cluster, "t") == (commits ? 4 : 0))
        // Nothing is left behind: no record, no redo log, no lock.
        #expect(try Self.rows(cluster, "_vt_dt_state") + Self.rows(cluster, "_vt_redo_state") == 0)
    }

    // MARK: Checkers bite: each mutant is caught, and the same run without it passes.

    static func findings(_ cluster: Cluster) -> [InvariantFinding] {
        ClusterInvariants.atomicity(cluster) + ClusterInvariants.commitOrder(cluster)
            + ClusterInvariants.transactionsResolved(cluster, before: SimTime(nanoseconds: cluster.simulation.now.nanoseconds - 3_000_000_000))
    }

    @Test(arguments: [false, true])
    func aCoordinatorThatCommitsBeforeEveryPrepareIsCaught(mutant: Bool) throws {
        let cluster = try Self.cluster(seed: 14, mutants: mutant ? .commitBeforeAllPrepared : [])
        cluster.faultPoints.arm(.prepare(shard: "-80"))
        cluster.faultPoints.arm(.prepare(shard: "80-"))
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: GatewayHistory())
        cluster.simulation.run(until: seconds(8))
        #expect(cluster.faultPoints.fired.count == 1)
        let findings = Self.findings(cluster)
        #expect(findings.contains { $0.invariant == "atomicity" } == mutant, "\(findings)")
        if !mutant { #expect(findings.isEmpty && cluster.observer.count(.twoPCRolledBack) == 1) }
    }

    @Test(arguments: [false, true])
    func aResolverThatRollsBackCommitRecordsIsCaught(mutant: Bool) throws {
        let cluster = try Self.cluster(seed: 15, mutants: mutant ? .resolverRollsBackCommits : [])
        cluster.faultPoints.arm(.metadataManagerCommitted)
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: GatewayHistory())
        cluster.simulation.run(until: seconds(8))
        let findings = Self.findings(cluster)
        #expect(findings.contains { $0.invariant == "atomicity" } == mutant, "\(findings)")
        #expect(cluster.observer.count(mutant ? .twoPCResolvedRollback : .twoPCResolvedCommit) == 1)
        if !mutant {
            let rows = try Self.rows(cluster, "t")
            #expect(findings.isEmpty && rows == 4)
        }
    }

    /// The coordinator dies after the decision; the resource manager's primary crashes with the
    /// transaction prepared. The promoted replica prepares it again from the redo log, with its
    /// locks, and the resolver commits it there. Without the replay its rows are lost.
    @Test(arguments: [false, true])
    func aPromotionReplaysTheRedoLog(mutant: Bool) throws {
        let cluster = try Self.cluster(seed: 16, mutants: mutant ? .promotionSkipsRedo : [])
        cluster.faultPoints.arm(.metadataManagerCommitted, action: .stall)
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: GatewayHistory())
        cluster.simulation.run(until: .zero + .milliseconds(300))
        let commit = try #require(cluster.observer.distributedCommits.first)
        let rmShard = try #require(cluster.shards.first { $0.key == commit.parts[1].shard })
        let rmPrimary = try #require(cluster.primary(of: rmShard))
        cluster.crashHost(rmPrimary, at: cluster.simulation.now + .milliseconds(10))
        cluster.simulation.run(until: seconds(15))
        #expect(cluster.primary(of: rmShard) != rmPrimary, "VTOrc promoted another tablet")
        #expect(cluster.observer.count(.ersCompleted) >= 1)
        let findings = Self.findings(cluster)
        #expect(findings.contains { $0.invariant == "atomicity" } == mutant, "\(findings)")
        if !mutant {
            #expect(cluster.observer.count(.twoPCRedoReplayed) >= 1 && cluster.observer.count(.twoPCResolvedCommit) == 1,
                    "\(cluster.observer.marks.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" })")
            let rows = try Self.rows(cluster, "t")
            #expect(findings.isEmpty && rows == 4, "\(findings)")
        }
    }

    /// Two clients update the same two rows (one per shard) in opposite orders, in TWOPC
    /// transactions. Locks held until the commit keep one order on both shards, and the
    /// cross-shard deadlocks they cause end by lock-wait timeout; a participant that lets its
    /// locks go once prepared lets the other transaction in between, out of order.
    @Test(arguments: [false, true])
    func aParticipantThatForgetsItsLocksIsCaught(mutant: Bool) throws {
        var caught = 0
        var committed = 0
        var lockWaitTimeouts = 0
        for seed in UInt64(20)..<26 {
            var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", shards: ["-80", "80-"], replicas: 2, durability: .semiSync,
                                                            schema: Self.schema + "; INSERT INTO t (id, v, n) VALUES (1, 'a', 0), (4, 'd', 0)",
                                                            vschema: Self.vschema)])
            spec.gateways = 1
            spec.mutants = mutant ? .forgetsLocksAfterPrepare : []
            spec.mysql.lockWaitTimeout = .milliseconds(500)
            let cluster = try Cluster(spec: spec, seed: seed)
            let histories = [GatewayHistory(), GatewayHistory()]
            // Rows 1 and 4 are on different shards (hash vindex: 166b40b4... and d2fd8867...).
            for (name, first, second) in [("client-1", 1, 4), ("client-2", 4, 1)] {
                let body = ["BEGIN", "UPDATE t SET n = n + 1 WHERE id = \(first)", "UPDATE t SET n = n + 1 WHERE id = \(second)", "COMMIT"]
                cluster.addGatewayClient(named: name, script: ["SET transaction_mode = 'TWOPC'"] + Array(repeating: body, count: 15).flatMap { $0 },
                                         interval: .milliseconds(1), history: histories[name == "client-1" ? 0 : 1])
            }
            cluster.simulation.run(until: seconds(30))
            if !ClusterInvariants.commitOrder(cluster).isEmpty { caught += 1 }
            committed += cluster.observer.count(.twoPCCommitted)
            lockWaitTimeouts += histories.flatMap(\.entries).filter { if case .failed(let e)? = $0.outcome { e.code == 1205 } else { false } }.count
        }
        // The mechanisms ran: distributed commits, and cross-shard deadlocks ended by timeout.
        #expect(committed > 20 && lockWaitTimeouts > 0, "\(committed) commits, \(lockWaitTimeouts) lock-wait timeouts")
        if mutant { #expect(caught > 0, "the forgetful participant went unnoticed in 6 seeds") } else { #expect(caught == 0) }
    }

    /// The ways a participant's primary loses its prepared transaction other than a host crash.
    enum Disruption: String, CaseIterable, CustomStringConvertible {
        /// A planned reparent: the demotion rolls the prepared transaction back only after every
        /// other write stopped; the promoted replica replays the redo log.
        case plannedReparent
        /// The MySQL node restarts (open transactions lost); VTOrc makes the read-only primary
        /// writable again through the tablet, which replays the redo log first.
        case mysqlRestart
        /// The tablet process restarts: its connections close (the node rolls them back) and it
        /// takes the primary role again, replaying the redo log.
        case tabletRestart
        var description: String { rawValue }
    }

    @Test(arguments: Disruption.allCases)
    func aPreparedTransactionSurvives(_ disruption: Disruption) throws {
        let cluster = try Self.cluster(seed: 17)
        cluster.faultPoints.arm(.metadataManagerCommitted, action: .stall)
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: GatewayHistory())
        cluster.simulation.run(until: .zero + .milliseconds(300))
        let commit = try #require(cluster.observer.distributedCommits.first)
        let rmShard = try #require(cluster.shards.first { $0.key == commit.parts[1].shard })
        let rmPrimary = try #require(cluster.primary(of: rmShard))
        let at = cluster.simulation.now + .milliseconds(10)
        switch disruption {
        case .plannedReparent:
            cluster.requestReparent(ReparentRequest(kind: .planned, keyspace: "ks", shard: rmShard.name), at: at)
        case .mysqlRestart:
            let node = try #require(cluster.simulation.processID(named: TabletConfiguration.mysqldName(rmPrimary)))
            cluster.simulation.schedule(.crash(node, losingUnsynced: 0), at: at)
            cluster.simulation.schedule(.restart(node), at: at + .milliseconds(200))
        case .tabletRestart:
            let tablet = try #require(cluster.simulation.processID(named: rmPrimary))
            cluster.simulation.schedule(.crash(tablet, losingUnsynced: 0), at: at)
            cluster.simulation.schedule(.restart(tablet), at: at + .milliseconds(200))
        }
        cluster.simulation.run(until: seconds(15))
        let marks = cluster.observer
        #expect(marks.count(.twoPCRedoReplayed) >= 1 && marks.count(.twoPCResolvedCommit) == 1,
                "\(marks.marks.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" })")
        if disruption == .plannedReparent {
            #expect(marks.count(.twoPCDemotionReleasedPrepared) == 1 && marks.count(.prsCompleted) == 1)
        }
        if disruption == .mysqlRestart { #expect(marks.count(.vtorcFixReadOnlyPrimary) >= 1) }
        let findings = Self.findings(cluster) + ClusterInvariants.convergence(cluster)
        let rows = try Self.rows(cluster, "t")
        #expect(findings.isEmpty && rows == 4, "\(findings)")
    }

    /// A client told a distributed commit succeeded whose decision is on no metadata manager is
    /// a lost commit: here a gateway that acknowledged without deciding, recorded as such.
    @Test func anAcknowledgedCommitWithoutItsDecisionIsLost() throws {
        let cluster = try Self.cluster(seed: 18)
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: GatewayHistory())
        cluster.simulation.run(until: seconds(3))
        #expect(ClusterInvariants.distributedDurability(cluster).isEmpty && cluster.observer.count(.twoPCCommitted) == 1)
        let fake = cluster.observer.distributedCommitStarted(ClusterObserver.DistributedCommit(
            id: "ks:-80:999", mode: .twoPC, gateway: "gate-1", parts: [.init(shard: "ks/-80", wrote: true), .init(shard: "ks/80-", wrote: true)]))
        cluster.observer.distributedCommit(fake, acknowledged: true)
        let findings = ClusterInvariants.distributedDurability(cluster)
        #expect(findings.count == 1 && findings[0].details == ["ks:-80:999 (through gate-1), metadata manager ks/-80"], "\(findings)")
    }

    /// `SHOW UNRESOLVED TRANSACTIONS` and `SHOW TRANSACTION STATUS` show a decided transaction
    /// whose coordinator stalled, until the resolver finishes it.
    @Test func unresolvedTransactionsAreShown() throws {
        let cluster = try Self.cluster(seed: 19)
        cluster.faultPoints.arm(.metadataManagerCommitted, action: .stall)
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: GatewayHistory())
        cluster.simulation.run(until: .zero + .milliseconds(300))
        let dtid = try #require(cluster.observer.distributedCommits.first?.id)
        let history = GatewayHistory()
        cluster.addGatewayClient(named: "client-2", script: ["SHOW UNRESOLVED TRANSACTIONS FOR ks", "SHOW TRANSACTION STATUS FOR '\(dtid)'"],
                                 history: history)
        cluster.simulation.run(until: .zero + .milliseconds(600))
        guard history.entries.count == 2, case .ok(let unresolved)? = history.entries[0].outcome, case .ok(let status)? = history.entries[1].outcome else {
            Issue.record("\(history.entries.map(\.outcome))")
            return
        }
        let rm = try #require(cluster.observer.distributedCommits.first?.parts[1].shard).replacingOccurrences(of: "/", with: ":")
        #expect(unresolved.columns == ["dtid", "state", "created", "participants"])
        #expect(unresolved.rows.map { [$0[0], $0[1], $0[3]] } == [[.text(dtid), .text("COMMIT"), .text(rm)]])
        #expect(status.rows == unresolved.rows)
        cluster.simulation.run(until: seconds(5))
        #expect(cluster.observer.count(.twoPCResolvedCommit) == 1)
    }

    /// A resource manager's replicas acknowledge so slowly that the coordinator gives up on its
    /// Prepare (whose redo log waits for its semi-sync ack, not yet visible) and rolls back: the
    /// RollbackPrepared waits for the Prepare to finish, so no redo log is left behind for a
    /// transaction nobody will resolve.
    @Test func aRollbackWaitsForTheRedoLogBeingWritten() throws {
        let cluster = try Self.cluster(seed: 21)
        let history = GatewayHistory()
        cluster.addGatewayClient(named: "client-1", script: Self.transaction, history: history)
        // Run until every statement before COMMIT has its answer, then slow the RM's replicas.
        while history.entries.filter({ $0.outcome != nil }).count < Self.transaction.count - 1 {
            _ = cluster.simulation.run(until: cluster.simulation.now + .milliseconds(1))
        }
        #expect(cluster.observer.distributedCommits.isEmpty, "the commit has not started yet")
        // The metadata manager is the shard of the first insert (id 1: -80), so 80- prepares.
        let rm = try #require(cluster.shards.first { $0.name == "80-" })
        let primary = try #require(cluster.primary(of: rm))
        for tablet in rm.tablets where tablet.alias != primary {
            cluster.simulation.apply(.clog(tablet.mysqld, extraDelay: .milliseconds(1500)))
            cluster.simulation.schedule(.unclog(tablet.mysqld), at: cluster.simulation.now + .seconds(6))
        }
        cluster.simulation.run(until: seconds(20))
        guard case .failed? = Self.commitOutcome(history) else { Issue.record("the commit succeeded"); return }
        #expect(cluster.observer.count(.twoPCPrepared) == 1 && cluster.observer.count(.twoPCRollbackPrepared) >= 1,
                "\(cluster.observer.marks.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" })")
        let findings = Self.findings(cluster)
        let rows = try Self.rows(cluster, "t") + Self.rows(cluster, "_vt_redo_state") + Self.rows(cluster, "_vt_dt_state")
        #expect(findings.isEmpty && rows == 0, "\(findings)")
    }
}
