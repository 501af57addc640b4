import SimCluster
import SimCore

/// Swarm testing over whole scenarios: each seed draws its own cluster shape (shards, replicas,
/// cells, gateways), workload mix (list-append, bank, counters, random CRUD, writers), transaction settings, enabled
/// fault kinds and their rates, and writes it as a scenario file, so that a failing seed is an
/// ordinary file that replays, shrinks and reads like any other. Every generated scenario expects
/// every applicable invariant to hold.
public enum SwarmProfile: String, Sendable, CaseIterable {
    /// Small clusters and short runs: a few hundred seeds fit in a CI job.
    case ci
    /// Bigger clusters, more clients, longer runs with more faults.
    case deep

    /// The scenario file text of `seed`.
    public func scenario(seed: UInt64) -> String {
        var random = RandomStream(rootSeed: seed, label: "swarm-scenario")
        let deep = self == .deep
        let shards = random.element(of: deep ? [2, 4, 8] : [1, 2, 2, 4])!
        let replicas = random.element(of: deep ? [2, 2, 3] : [1, 2])!
        let cells = random.chance(0.5) ? "[zone1]" : "[zone1, zone2]"
        let gateways = random.element(of: [1, 2])!
        let duration = deep ? 40 : 6
        let heal = deep ? 28 : 4
        let sharded = shards > 1

        // One to three workloads; each its own table, so that their checks stay apart.
        var workloads: [String] = []
        var checks = ["single_primary", "durability", "convergence"]
        let kinds = random.shuffled(["list_append", "bank", "writer", "counter", "crud"]).prefix(random.int(in: 1..<(deep ? 4 : 3)))
        let mode = sharded && random.chance(0.8) ? "TWOPC" : (sharded ? "MULTI" : "SINGLE")
        func gateway() -> String { "gate-\(random.int(in: 1..<(gateways + 1)))" }
        let clients = deep ? 4 : 2
        for kind in kinds.sorted() {
            switch kind {
            case "list_append":
                let keys = random.element(of: [4, 8, 16])!
                let locking = random.chance(0.75)
                workloads.append("  - list_append: {gateway: \(gateway()), clients: \(clients), keys: \(keys), ops: 1..4, mode: \(mode), "
                                 + "locking_reads: \(locking), timeout: 3s}")
                checks.append("list_append")
            case "bank":
                // MULTI commits are not atomic: money can vanish, so bank runs in TWOPC (or one shard).
                let bankMode = mode == "MULTI" ? "TWOPC" : mode
                workloads.append("  - bank: {gateway: \(gateway()), clients: \(clients), accounts: \(random.element(of: [4, 8, 12])!), "
                                 + "read_fraction: 0.1, mode: \(bankMode), timeout: 3s}")
                checks.append("bank")
            case "crud":
                // The oracle compares final tables: a MULTI commit that half happened differs.
                let crudMode = mode == "MULTI" ? "TWOPC" : mode
                workloads.append("  - crud: {gateway: \(gateway()), clients: \(clients), tables: [items], keys: \(random.element(of: [4, 8])!), "
                                 + "ops: 1..3, mode: \(crudMode), timeout: 3s}")
                checks.append("oracle")
            case "counter":
                workloads.append("  - counter: {gateway: \(gateway()), clients: \(clients), keys: 4, mode: \(mode), timeout: 3s}")
                checks.append("counter")
            default:
                let shard = sharded ? KeyRange.evenShardNames(shards)[random.int(in: 0..<shards)] : "0"
                workloads.append("  - writer: {keyspace: swarm, shard: \"\(shard)\", table: orders, clients: \(clients / 2 + 1), interval: 20ms}")
            }
        }
        if sharded { checks += ["routing", "atomicity", "commit_order", "transaction_resolution"] }

        // The faults: a drawn subset of kinds at drawn rates (swarm), sometimes 2PC fault points.
        let faultKinds = random.shuffled(["partition", "partition_one_way", "crash", "pause", "clog", "loss", "duplicate", "reorder"])
            .prefix(random.int(in: 1..<(deep ? 7 : 5))).sorted()
        // Each kind at its own drawn rate; lifecycle faults last longer than link faults.
        let rates = faultKinds.map { kind -> String in
            let every = random.element(of: deep ? [2, 4, 8] : [1, 2])!
            let lasting = ["crash", "pause"].contains(kind) ? (deep ? "200ms..3s" : "200ms..2s") : (deep ? "100ms..2s" : "100ms..1s")
            return "    \(kind): {every: \(every)s, lasting: \(lasting)}"
        }
        let twoPCPoints = sharded && mode == "TWOPC" && random.chance(0.3) ? "\n  twopc_points: {every: \(deep ? 3 : 1)s}" : ""
        let vschema = sharded ? [
            "",
            "      vschema: |",
            "        {\"sharded\": true, \"vindexes\": {\"hash\": {\"type\": \"hash\"}},",
            "         \"tables\": {\"lists\": {\"column_vindexes\": [{\"column\": \"k\", \"name\": \"hash\"}]},",
            // `orders` stays out: the writers insert into one shard's primary tablet directly.
            "                    \"accounts\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}]},",
            "                    \"counters\": {\"column_vindexes\": [{\"column\": \"k\", \"name\": \"hash\"}]},",
            "                    \"items\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}]}}}",
        ].joined(separator: "\n") : ""
        return """
            # Generated by `simrun fuzz --profile \(rawValue)` for seed \(seed): \(shards) shard(s) × \(replicas + 1) tablets,
            # \(gateways) gateway(s), workloads \(kinds.sorted().joined(separator: ", ")) (\(mode)), faults \(faultKinds.joined(separator: ", ")).
            name: swarm-\(rawValue)-\(seed)
            description: "Swarm profile \(rawValue), seed \(seed)."
            seed: \(seed)
            duration: \(duration)s
            heal: \(heal)s
            liveness_bound: \(deep ? 8 : 6)s
            quiesce: \(deep ? 3 : 2)s

            cluster:
              cells: \(cells)
              gateways: \(gateways)
              keyspaces:
                - name: swarm
                  shards: \(shards)
                  replicas: \(replicas)
                  durability: semi_sync
                  schema: |
                    CREATE TABLE lists (k BIGINT PRIMARY KEY, v TEXT);
                    CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);
                    CREATE TABLE orders (id BIGINT PRIMARY KEY, v VARCHAR(32) NOT NULL);
                    CREATE TABLE counters (k BIGINT PRIMARY KEY, n BIGINT NOT NULL);
                    CREATE TABLE items (id BIGINT, line INT, v VARCHAR(8), n INT NOT NULL DEFAULT 0, PRIMARY KEY (id, line));\(vschema)
              orchestrator: {detection_delay: 2s, poll_interval: 500ms}
              tablet: {transaction_timeout: 3s}
              mysql: {lock_wait_timeout: 1s}

            workload:
            \(workloads.joined(separator: "\n"))

            random_faults:
              kinds:
            \(rates.joined(separator: "\n"))
              start: 1s\(twoPCPoints)

            checks: [\(checks.joined(separator: ", "))]
            expect: pass

            """
    }
}
