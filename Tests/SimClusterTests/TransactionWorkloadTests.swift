import SimCluster
import SimCore
import Testing

/// The generated workloads on a real cluster: their histories are long and checked (the checker
/// saw commits and dependencies, so a clean verdict means something), and a 2PC bug shows.
@Suite struct TransactionWorkloadTests {
    static let vschema = """
        {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
         "tables": {"lists": {"column_vindexes": [{"column": "k", "name": "hash"}]},
                    "accounts": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
        """

    func cluster(seed: UInt64, mutants: TwoPCMutants = []) throws -> Cluster {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(
            name: "ks", shards: ["-80", "80-"], replicas: 1, durability: .semiSync,
            schema: "CREATE TABLE lists (k BIGINT PRIMARY KEY, v TEXT); CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)",
            vschema: Self.vschema)])
        spec.gateways = 1
        spec.mutants = mutants
        spec.mysql.lockWaitTimeout = .seconds(1)
        return try Cluster(spec: spec, seed: seed)
    }

    func runListAppend(seed: UInt64, mutants: TwoPCMutants = []) throws -> (ListAppendChecker.Report, Cluster) {
        let cluster = try cluster(seed: seed, mutants: mutants)
        var workload = ListAppendWorkload()
        workload.keys = 6
        workload.opsPerTransaction = 2...3
        let histories = (1...4).map { _ in TransactionHistory() }
        for (i, history) in histories.enumerated() {
            cluster.addTransactionClient(named: "client-\(i + 1)", number: i + 1, workload: workload, settings: TransactionClientSettings(), history: history)
        }
        cluster.simulation.run(until: SimTime(nanoseconds: 15_000_000_000))
        return (ListAppendChecker().check(RunHistory(histories)), cluster)
    }

    @Test func listAppendUnderTwoPCIsSerializable() throws {
        let (report, cluster) = try runListAppend(seed: 3)
        #expect(report.anomalies.isEmpty, "\(report.anomalies.first?.summary ?? "")")
        // The mechanisms ran: distributed commits, and a history dense with dependencies.
        #expect(cluster.observer.count(.twoPCCommitted) > 50)
        #expect(report.committed > 100 && report.edges > report.committed, "\(report.committed) committed, \(report.edges) edges")
    }

    @Test func listAppendCatchesAParticipantThatForgetsItsLocks() throws {
        let (report, _) = try runListAppend(seed: 3, mutants: .forgetsLocksAfterPrepare)
        let cycles = report.anomalies.filter { [.g0, .g1c, .gSingle, .g2, .lostUpdate].contains($0.kind) }
        #expect(!cycles.isEmpty, "no anomaly in \(report.committed) committed transactions")
        #expect(cycles.first?.details.contains { $0.contains("-rw->") || $0.contains("-ww->") || $0.contains("-wr->") } == true)
    }

    @Test func bankTransfersConserveMoney() throws {
        let cluster = try cluster(seed: 5)
        let histories = (1...4).map { _ in TransactionHistory() }
        for (i, history) in histories.enumerated() {
            cluster.addTransactionClient(named: "client-\(i + 1)", number: i + 1, workload: BankWorkload(), settings: TransactionClientSettings(), history: history)
        }
        cluster.simulation.run(until: SimTime(nanoseconds: 10_000_000_000))
        let history = RunHistory(histories)
        var balances: [Int64: Int64] = [:]
        for shard in cluster.shards {
            let primary = try #require(cluster.primary(of: shard))
            let storage = try #require(cluster.storage(of: primary))
            for row in try storage.rows(of: "accounts") { balances[row[0].integer!, default: 0] += row[1].integer! }
        }
        #expect(BankChecker().check(history, finalBalances: balances).isEmpty)
        let reads = history.transactions.filter { $0.finalOutcome == .ok && $0.ops.contains { $0.isRead } }
        let transfers = history.transactions.filter { $0.finalOutcome == .ok && !$0.ops.contains { $0.isRead } }
        #expect(reads.count > 10 && transfers.count > 50, "\(reads.count) reads, \(transfers.count) transfers")
        // The checker fails when a transfer is lost: drop one committed transfer from the balances.
        guard case .transfer(let from, let to, let amount)? = transfers.first?.ops.first else { Issue.record("no transfer"); return }
        var broken = balances
        broken[from, default: 0] += amount
        broken[to, default: 0] -= amount
        #expect(!BankChecker().check(history, finalBalances: broken).isEmpty)
    }

    @Test func bankCheckerCatchesAnInconsistentRead() {
        var record = TransactionRecord(client: 1, index: 0, invoked: .zero, ops: [.readBalances([.init(account: 1, balance: -3), .init(account: 2, balance: 2)])])
        record.outcome = .ok
        let findings = BankChecker().check(RunHistory(transactions: [record]), finalBalances: nil)
        #expect(findings.count == 1 && findings[0].message.contains("summing to -1"))
    }
}

/// The routing invariant: a row on a shard its vindex does not map it to is found.
@Suite struct RoutingInvariantTests {
    @Test func aRowOnTheWrongShardIsFound() throws {
        let spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "ks", shards: ["-80", "80-"], replicas: 1, durability: .semiSync,
                                                        schema: "CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)",
                                                        vschema: TransactionWorkloadTests.vschema)])
        let cluster = try Cluster(spec: spec, seed: 1)
        let high = try #require(cluster.shard("ks", "80-"))
        let storage = try #require(cluster.storage(of: high.tablets[0].alias))
        // hash(4) = d2fd8867... belongs on 80-; hash(1) = 166b40b4... on -80.
        try storage.bootstrap("INSERT INTO accounts (id, balance) VALUES (4, 10)")
        #expect(ClusterInvariants.routing(cluster).isEmpty)
        try storage.bootstrap("INSERT INTO accounts (id, balance) VALUES (1, 10)")
        let findings = ClusterInvariants.routing(cluster)
        #expect(findings.count == 1 && findings[0].details.first?.contains("accounts.id = 1 (keyspace id 166b40b44aba4bd6) is on shard 80-") == true,
                "\(findings)")
    }
}
