import SimCluster
import SimCore
import SQLSyntax
import Testing

/// VTGate as a process: statements reach the primaries as messages, scatter results merge, and
/// the gateway finds the new primary after an emergency reparent.
@Suite struct GatewayProcessTests {
    static let schema = "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(32), n INT)"
    static let vschema = """
        {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
         "tables": {"t": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
        """

    func cluster(seed: UInt64) throws -> Cluster {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", shards: ["-80", "80-"], replicas: 2, durability: .semiSync,
                                                        schema: Self.schema, vschema: Self.vschema)])
        spec.gateways = 1
        return try Cluster(spec: spec, seed: seed)
    }

    @Test func statementsThroughTheGatewayReachTheirShards() throws {
        let cluster = try cluster(seed: 3)
        let history = GatewayHistory()
        let inserts = (1...20).map { "INSERT INTO t (id, v, n) VALUES (\($0), 'v\($0)', \($0 % 3))" }
        cluster.addGatewayClient(named: "client-1", script: inserts + [
            "SELECT id FROM t ORDER BY id DESC LIMIT 3",
            "SELECT n, COUNT(*) FROM t GROUP BY n ORDER BY n",
            "SELECT v FROM t WHERE id = 7",
            "SHOW VITESS_TABLETS",
        ], history: history)
        cluster.simulation.run(until: seconds(5))
        let outcomes = history.entries.map(\.outcome)
        #expect(outcomes.count == 24 && outcomes.allSatisfy { if case .ok? = $0 { true } else { false } }, "\(outcomes)")
        if case .ok(let tablets)? = outcomes.last {
            // Two shards of three tablets each; the initial primaries are PRIMARY.
            #expect(tablets.rows.count == 6 && tablets.rows.filter { $0[3] == .text("PRIMARY") }.count == 2)
        }
        guard case .ok(let top)? = outcomes[20], case .ok(let groups)? = outcomes[21], case .ok(let point)? = outcomes[22] else { return }
        #expect(top.rows == [[.integer(20)], [.integer(19)], [.integer(18)]])
        #expect(groups.rows == [[.integer(0), .integer(6)], [.integer(1), .integer(7)], [.integer(2), .integer(7)]])
        #expect(point.rows == [[.text("v7")]])
        // Each shard's primary holds exactly the rows its range owns.
        var total = 0
        for shard in cluster.shards {
            guard let primary = cluster.primary(of: shard), let storage = cluster.storage(of: primary) else { continue }
            for row in try storage.rows(of: "t") {
                let id = try #require(row[0].integer)
                #expect(shard.range.contains(try #require(FunctionalVindex.hash.keyspaceID(.signed(id)))))
                total += 1
            }
        }
        #expect(total == 20)
    }

    @Test func theGatewayFollowsAnEmergencyReparent() throws {
        let cluster = try cluster(seed: 5)
        let history = GatewayHistory()
        let inserts = (1...300).map { "INSERT INTO t (id, v, n) VALUES (\($0), 'v\($0)', 0)" }
        cluster.addGatewayClient(named: "client-1", script: inserts + ["SELECT COUNT(*) FROM t"], interval: .milliseconds(20),
                                 timeout: .seconds(3), history: history)
        let shard = cluster.shards[0]
        let oldPrimary = shard.tablets[0].alias
        cluster.crashHost(oldPrimary, at: seconds(1))
        cluster.simulation.run(until: seconds(20))
        #expect(cluster.primary(of: shard) != oldPrimary, "VTOrc reparented the shard")
        let entries = history.entries
        #expect(entries.count == 301, "\(entries.map { "\($0.invoked) \($0.sql.prefix(30)) \(String(describing: $0.outcome))" }.suffix(8))")
        let failedDuringFailover = entries.filter { if case .ok? = $0.outcome { false } else { true } }
        #expect(!failedDuringFailover.isEmpty, "some statements hit the dead primary")
        // After the reparent, statements to that shard succeed again through the same gateway.
        let late = entries.filter { $0.invoked > seconds(12) && $0.sql.hasPrefix("INSERT") }
        #expect(!late.isEmpty && late.allSatisfy { if case .ok? = $0.outcome { true } else { false } })
        // Every acknowledged insert is counted by the final scatter query (semi-sync loses none).
        let acknowledged = entries.filter { if case .ok? = $0.outcome, $0.sql.hasPrefix("INSERT") { true } else { false } }.count
        guard case .ok(let count)? = entries.last?.outcome, let n = count.rows.first?[0].integer else {
            Issue.record("the final count failed: \(String(describing: entries.last?.outcome))")
            return
        }
        #expect(Int(n) >= acknowledged)
    }

    /// `USE ks@replica` sends reads to replicas: with replication held back, a replica read sees
    /// fewer rows than the primary has, and a write is refused.
    @Test(arguments: [false, true])
    func replicaReadsGoToReplicas(tightLagLimit: Bool) throws {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", shards: ["-80", "80-"], replicas: 2, durability: .semiSync,
                                                        schema: Self.schema, vschema: Self.vschema)])
        spec.gateways = 1
        spec.mysql.applyDelay = .milliseconds(400)
        if tightLagLimit { spec.gatewayReplicaLagLimit = .milliseconds(50) }
        let cluster = try Cluster(spec: spec, seed: 9)
        let history = GatewayHistory()
        let inserts = (1...30).map { "INSERT INTO t (id, v, n) VALUES (\($0), 'v', 0)" }
        // Replica reads go on long enough for the replicas' health to reach the gateway.
        let replicaReads = Array(repeating: "SELECT COUNT(*) FROM t", count: 100)
        cluster.addGatewayClient(named: "client-1", script: inserts + ["SELECT COUNT(*) FROM t", "USE ks@replica"] + replicaReads + [
            "SELECT COUNT(*) FROM t", "INSERT INTO t (id, v, n) VALUES (99, 'v', 0)",
        ], interval: .milliseconds(10), history: history)
        cluster.simulation.run(until: seconds(3))
        let outcomes = [history.entries[30].outcome, history.entries[31].outcome] + history.entries.suffix(2).map(\.outcome)
        if tightLagLimit {
            // Every replica lags past the limit once their health streams in: none may serve.
            let late = history.entries.suffix(2).first?.outcome
            guard case .failed(let error)? = late else { Issue.record("a lagging replica served: \(String(describing: late))"); return }
            #expect(error.message.contains("no healthy tablet"))
            return
        }
        guard outcomes.count == 4, case .ok(let primary)? = outcomes[0], case .ok(let replica)? = outcomes[2],
              case .failed(let refused)? = outcomes[3] else {
            Issue.record("\(outcomes)")
            return
        }
        #expect(primary.rows == [[.integer(30)]])
        #expect((replica.rows.first?[0].integer ?? 30) < 30, "the replicas lag, so a replica read sees fewer rows")
        #expect(refused.message.contains("VT09002"))
    }

    /// A transaction through the gateway process: its rows reach several shards and appear only
    /// once it commits; a rolled-back one leaves nothing.
    @Test func transactionsThroughTheGatewayCommitAndRollBack() throws {
        let cluster = try cluster(seed: 4)
        let history = GatewayHistory()
        cluster.addGatewayClient(named: "client-1", script: [
            "BEGIN",
            "INSERT INTO t (id, v, n) VALUES (1, 'a', 0)", "INSERT INTO t (id, v, n) VALUES (2, 'b', 0)",
            "INSERT INTO t (id, v, n) VALUES (3, 'c', 0)", "INSERT INTO t (id, v, n) VALUES (4, 'd', 0)",
            "COMMIT",
            "BEGIN",
            "INSERT INTO t (id, v, n) VALUES (5, 'e', 0)", "INSERT INTO t (id, v, n) VALUES (6, 'f', 0)",
            "ROLLBACK",
            "SELECT id FROM t ORDER BY id",
        ], history: history)
        cluster.simulation.run(until: seconds(3))
        let outcomes = history.entries.map(\.outcome)
        #expect(outcomes.count == 11 && outcomes.allSatisfy { if case .ok? = $0 { true } else { false } }, "\(outcomes)")
        guard case .ok(let rows)? = outcomes.last else { return }
        #expect(rows.rows == [[.integer(1)], [.integer(2)], [.integer(3)], [.integer(4)]])
        // The committed rows are on both shards' primaries.
        let perShard = try cluster.shards.map { try cluster.storage(of: cluster.primary(of: $0)!)!.rows(of: "t").count }
        #expect(perShard.count == 2 && perShard.allSatisfy { $0 > 0 } && perShard.reduce(0, +) == 4)
    }
}
