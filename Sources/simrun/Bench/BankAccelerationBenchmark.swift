import Foundation
import Scenarios
import SimCore

/// Time acceleration on Jepsen's bank workload: 4 shards × 3 tablets (semi-sync), one gateway,
/// clients moving money in TWOPC transactions with a pause between transactions; virtual
/// seconds simulated per wall second, with the load that produced them (events and committed
/// transfers per virtual second), since the ratio depends on how busy the clients keep the cluster.
/// With no clients it measures the cluster's own background (health checks, heartbeats, polling),
/// the ceiling any load starts from.
struct BankAccelerationBenchmark {
    let clients: Int
    let interval: String
    let seconds: Int
    let seed: UInt64

    struct Figures {
        var wallSeconds = 0.0
        var virtualSeconds = 0.0
        var events = 0
        var transfers = 0
        var asExpected = false
    }

    var scenario: String {
        """
        name: bank-acceleration
        description: "Bank transfers on 4 shards x 3 tablets, for the acceleration benchmark."
        duration: \(seconds)s
        quiesce: 1s
        cluster:
          gateways: 1
          keyspaces:
            - name: bank
              shards: 4
              replicas: 2
              durability: semi_sync
              schema: |
                CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);
              vschema: |
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"accounts": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}
          mysql: {lock_wait_timeout: 1s}
        \(clients == 0 ? "checks: []" : """
        workload:
          - bank: {clients: \(clients), accounts: 16, read_fraction: 0.1, interval: \(interval), timeout: 3s}
        checks: [bank]
        """)
        expect: pass
        """
    }

    func run() throws -> Figures {
        let loaded = try ScenarioLoader.parse(scenario, file: "bank-acceleration.yaml")
        let start = DispatchTime.now().uptimeNanoseconds
        let report = ScenarioRunner.run(loaded, seed: seed)
        var figures = Figures()
        figures.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        figures.virtualSeconds = Double(report.virtualTime.nanoseconds) / 1e9
        figures.events = report.events
        figures.transfers = report.marks.first { $0.name == "twopc.committed" }?.count ?? 0
        figures.asExpected = report.asExpected
        return figures
    }
}
