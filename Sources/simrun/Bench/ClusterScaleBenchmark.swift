import Foundation
import SimCluster
import SimCore

/// A big cluster serving many queries: `shards` shards of three tablets (semi-sync), gateways,
/// and clients sending point inserts and point selects back to back until `queries` are answered.
/// Measures wall time and the process's peak memory.
struct ClusterScaleBenchmark {
    var shards: Int
    var queries: Int
    var clients: Int
    var gateways: Int
    var seed: UInt64

    struct Figure {
        let answered: Int
        let failed: Int
        let wallSeconds: Double
        let virtualSeconds: Double
        let events: Int
        let peakMegabytes: Double
        let setupSeconds: Double
    }

    func run() throws -> Figure {
        let started = DispatchTime.now().uptimeNanoseconds
        var spec = ClusterSpec(keyspaces: [KeyspaceSpec(
            name: "app", shards: KeyRange.evenShardNames(shards), replicas: 2, durability: .semiSync,
            schema: "CREATE TABLE items (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)",
            vschema: #"{"sharded": true, "vindexes": {"hash": {"type": "hash"}}, "tables": {"items": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}"#)])
        spec.gateways = gateways
        // Plenty of events: the budget must not end the run.
        let cluster = try Cluster(spec: spec, seed: seed, eventBudget: Int.max, traceRingCapacity: 64)
        let perClient = (queries + clients - 1) / clients
        // One counter for all clients: the stop condition is checked after every event.
        let counter = LoadCounters()
        // The clients wait until the tablets have taken their types and the gateways have
        // heard their health: a query sent in the first milliseconds finds a primary that is
        // still a replica and fails, as it would in Vitess.
        let warmUp = SimDuration.milliseconds(100)
        for c in 0..<clients {
            let base = Int64(c) * 100_000_000
            // Each pair of queries inserts a row and reads it back by its primary key.
            cluster.addLoadClient(named: "load-\(c + 1)", gateway: "gate-\(c % gateways + 1)", count: perClient, statement: { i in
                let id = base + Int64(i / 2)
                return i % 2 == 0 ? "INSERT INTO items (id, v) VALUES (\(id), \(i))" : "SELECT v FROM items WHERE id = \(id)"
            }, counters: counter, delay: warmUp)
        }
        let built = DispatchTime.now().uptimeNanoseconds
        let target = perClient * clients
        _ = cluster.simulation.run(until: SimTime(nanoseconds: 3_600_000_000_000), stopWhen: {
            counter.answered + counter.failed + counter.timedOut >= target
        })
        let ended = DispatchTime.now().uptimeNanoseconds
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Figure(answered: counter.answered, failed: counter.failed + counter.timedOut,
                      wallSeconds: Double(ended - built) / 1e9, virtualSeconds: Double(cluster.simulation.now.nanoseconds) / 1e9,
                      events: cluster.simulation.eventsProcessed, peakMegabytes: Double(usage.ru_maxrss) / 1024,
                      setupSeconds: Double(built - started) / 1e9)
    }
}
