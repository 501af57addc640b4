import Foundation
import SimCluster
import SimCore

/// `simrun bench transactions`: transfers between two shards through a simulated gateway, as
/// MULTI and as TWOPC transactions on the same cluster and seed, measured in virtual time (what
/// the protocol costs a client) and in wall time (what the simulation costs the machine).
struct TransactionBenchmark {
    var clients: Int
    var transfers: Int
    var seed: UInt64

    struct Figure {
        let mode: String
        let committed: Int
        let failed: Int
        /// Virtual commit latency percentiles (COMMIT sent to answer).
        let p50: SimDuration
        let p99: SimDuration
        let virtualSeconds: Double
        let wallSeconds: Double
        let events: Int
    }

    static let schema = "CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)"
    static let vschema = """
        {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
         "tables": {"accounts": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
        """

    func measure() throws -> [Figure] {
        try ["MULTI", "TWOPC"].map(run)
    }

    func run(_ mode: String) throws -> Figure {
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(name: "bank", shards: ["-80", "80-"], replicas: 2, durability: .semiSync,
                                                        schema: Self.schema, vschema: Self.vschema)])
        spec.gateways = 1
        // Vitess's default transaction pool (20): the prepared pool holds 18, so every client's
        // transaction can be prepared at once.
        spec.tablet.transactionPoolSize = 20
        let cluster = try Cluster(spec: spec, seed: seed)
        var histories: [GatewayHistory] = []
        // Each client moves money between an account of its own on -80 and one on 80- (by the
        // hash vindex's first byte).
        var low: [Int64] = []
        var high: [Int64] = []
        var id: Int64 = 1
        while low.count < clients || high.count < clients {
            let first = FunctionalVindex.hash.keyspaceID(.signed(id))?.first ?? 0
            if first < 0x80 { low.append(id) } else { high.append(id) }
            id += 1
        }
        for c in 0..<clients {
            let (a, b) = (low[c], high[c])
            var script = ["SET transaction_mode = '\(mode)'",
                          "INSERT INTO accounts (id, balance) VALUES (\(a), 1000)", "INSERT INTO accounts (id, balance) VALUES (\(b), 1000)"]
            for _ in 0..<transfers {
                script += ["BEGIN", "UPDATE accounts SET balance = balance - 1 WHERE id = \(a)",
                           "UPDATE accounts SET balance = balance + 1 WHERE id = \(b)", "COMMIT"]
            }
            let history = GatewayHistory()
            histories.append(history)
            cluster.addGatewayClient(named: "client-\(c + 1)", script: script, interval: .milliseconds(1), timeout: .seconds(10), history: history)
        }
        let start = Date()
        var virtualEnd = SimTime.zero
        // Run until every client has its answers (in slices, so the end is the last answer's time).
        while histories.contains(where: { $0.entries.count < 3 + 4 * transfers || $0.entries.last?.outcome == nil }),
              cluster.simulation.now < SimTime.zero + .seconds(3_600) {
            _ = cluster.simulation.run(until: cluster.simulation.now + .seconds(1))
        }
        let wall = Date().timeIntervalSince(start)
        var latencies: [SimDuration] = []
        var committed = 0
        var failed = 0
        for history in histories {
            for entry in history.entries where entry.sql == "COMMIT" {
                guard let done = entry.completed else { continue }
                latencies.append(done - entry.invoked)
                if case .ok? = entry.outcome { committed += 1 } else { failed += 1 }
            }
            virtualEnd = max(virtualEnd, history.entries.last?.completed ?? .zero)
        }
        latencies.sort()
        func percentile(_ p: Double) -> SimDuration {
            latencies.isEmpty ? .zero : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        precondition(mode != "TWOPC" || cluster.observer.count(.twoPCCommitted) > 0, "the transfers did not cross shards")
        return Figure(mode: mode, committed: committed, failed: failed, p50: percentile(0.5), p99: percentile(0.99),
                      virtualSeconds: Double(virtualEnd.nanoseconds) / 1e9, wallSeconds: wall, events: cluster.simulation.eventsProcessed)
    }
}
