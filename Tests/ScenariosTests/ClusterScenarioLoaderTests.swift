import Scenarios
import SimCluster
import SimCore
import Testing

@Suite struct ClusterScenarioLoaderTests {
    static let cluster = """
        duration: 10s
        cluster:
          cells: [zone1, zone2]
          keyspaces:
            - name: commerce
              shards: 2
              replicas: 1
              rdonly: 1
              durability: none
              schema: |
                CREATE TABLE orders (id BIGINT PRIMARY KEY, v VARCHAR(32));
          orchestrator: {detection_delay: 3s, poll_interval: 250ms, automatic_recovery: false}
          mysql: {lock_wait_timeout: 5s, semi_sync_timeout: 1s, apply_delay: 2ms, sync_interval: 100ms}
          tablet: {pool_size: 2, transaction_pool_size: 3, query_timeout: 1s, transaction_timeout: 4s}
        workload:
          - writer: {keyspace: commerce, shard: "-80", table: orders, clients: 3, interval: 10ms}

        """

    func error(_ text: String) -> ScenarioError? { loaderError(text) }

    @Test func readsEveryClusterField() throws {
        let scenario = try ScenarioLoader.parse(Self.cluster + """
            faults:
              - {at: 1s, crash_host: {host: zone1-0000000101, lose_unsynced: 2}}
              - {at: 2s, restart_host: zone1-0000000101}
              - {at: 3s, reparent: {kind: prs, keyspace: commerce, shard: "80-", new_primary: zone1-0000000105}}
              - {at: 4s, crash: zone1-0000000101-mysqld}
            """, file: "s.yaml")
        guard case .cluster(let cluster) = scenario.system else { Issue.record("not a cluster"); return }
        let spec = cluster.spec
        #expect(spec.cells == ["zone1", "zone2"])
        #expect(spec.keyspaces[0].shards == ["-80", "80-"])
        #expect(spec.keyspaces[0].replicas == 1 && spec.keyspaces[0].rdonly == 1)
        #expect(spec.keyspaces[0].durability == .none)
        #expect(spec.orchestrator.detectionDelay == .seconds(3) && spec.orchestrator.pollInterval == .milliseconds(250))
        #expect(!spec.orchestrator.automaticRecovery)
        #expect(spec.mysql.lockWaitTimeout == .seconds(5) && spec.mysql.semiSyncTimeout == .seconds(1))
        #expect(spec.mysql.applyDelay == .milliseconds(2) && spec.mysql.syncInterval == .milliseconds(100))
        #expect(spec.tablet.poolSize == 2 && spec.tablet.transactionPoolSize == 3)
        #expect(spec.tablet.queryTimeout == .seconds(1) && spec.tablet.transactionTimeout == .seconds(4))
        #expect(cluster.clientNames == ["client-1", "client-2", "client-3"])
        // Tablets alternate over the cells, the primary of each shard first.
        let layout = ClusterLayout(spec)
        #expect(layout.tablets.map(\.alias) == ["zone1-0000000101", "zone2-0000000102", "zone1-0000000103",
                                                "zone2-0000000104", "zone1-0000000105", "zone2-0000000106"])
        #expect(scenario.faults.map(\.action) == [
            .crashHost("zone1-0000000101", losingUnsynced: 2),
            .restartHost("zone1-0000000101"),
            .reparent(ReparentRequest(kind: .planned, keyspace: "commerce", shard: "80-", newPrimary: "zone1-0000000105")),
            .fault(.crash("zone1-0000000101-mysqld", losingUnsynced: 0)),
        ])
        #expect(scenario.checks.isEmpty)
        #expect(CheckerRegistry.checkNames(for: scenario.system) == ["single_primary", "durability", "convergence", "liveness", "atomicity", "commit_order", "transaction_resolution", "client_errors", "list_append", "bank", "oracle", "read_your_writes", "routing", "counter"])
    }

    @Test(arguments: [
        ("shards: 2", "shards: [-80, 90-]", "shards -80 and 90- leave a gap or overlap"),
        ("shards: 2", "shards: [-80]", "a single shard must cover the whole key space"),
        ("shards: 2", "shards: [-80, c0-]", "leave a gap or overlap"),
        ("shards: 2", "shards: [40-80, 80-]", "the shards do not cover the whole key space"),
        ("shards: 2", "shards: [-8x, 80-]", "'-8x' is not a valid shard name"),
        ("shards: 2", "shards: 300", "between 1 and 256"),
        ("durability: none", "durability: paxos", "unknown durability policy 'paxos'"),
        ("replicas: 1\n      rdonly: 1\n      durability: none", "replicas: 0\n      rdonly: 1\n      durability: semi_sync", "needs at least one replica"),
        ("cells: [zone1, zone2]", "cells: [zone-1]", "must use letters, digits and '_'"),
        ("table: orders", "table: order_lines", "has no table 'order_lines'"),
        ("shard: \"-80\"", "shard: \"0\"", "has no shard '0'"),
        ("v VARCHAR(32)", "w VARCHAR(32)", "needs columns 'id' and 'v'"),
        ("CREATE TABLE orders", "CREATE TABEL orders", "schema line 1"),
        ("pool_size: 2,", "pool_size: 0,", "pool_size"),
        ("detection_delay: 3s", "detection_delay: soon", "must be a duration"),
    ])
    func badClusterFilesAreRefusedWithAReason(original: String, replacement: String, message: String) {
        let text = Self.cluster.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.cluster, "the test's text did not change")
        let error = error(text)
        #expect(error?.message.contains(message) == true, "\(error.map { "\($0)" } ?? "accepted")")
        #expect(error?.location != nil)
    }

    @Test(arguments: [
        ("  - {at: 1s, crash_host: zone9-0000000101}", "'zone9-0000000101' is not a tablet of the cluster (did you mean 'zone1-0000000101'?)"),
        ("  - {at: 1s, reparent: {kind: XRS, keyspace: commerce, shard: \"-80\"}}", "'kind' must be PRS (planned) or ERS (emergency)"),
        ("  - {at: 1s, reparent: {kind: ERS, keyspace: commerce, shard: \"0\"}}", "the cluster has no shard commerce/0"),
        ("  - {at: 1s, reparent: {kind: PRS, keyspace: commerce, shard: \"-80\", new_primary: zone1-0000000105}}", "is not a tablet of commerce/-80"),
        ("  - {at: 1s, crash: gate-1}", "'gate-1' is not a process"),
        ("  - {at: 1s, twopc_fault: {point: MMCommited_FailNow}}", "unknown fault point 'MMCommited_FailNow'"),
        ("  - {at: 1s, twopc_fault: {point: RMPrepare_40-_FailNow}}", "the cluster has no shard '40-'"),
        ("  - {at: 1s, twopc_fault: {point: RMPrepared_FailNow, gateway: gate-1}}", "'gate-1' is not a gateway of the cluster"),
        ("  - {at: 1s, twopc_fault: {point: RMPrepared_FailNow, action: explode}}", "'action' must be fail or stall"),
    ])
    func badClusterFaultsAreRefused(fault: String, message: String) {
        let error = error(Self.cluster + "faults:\n" + fault + "\n")
        #expect(error?.message.contains(message) == true, "\(error.map { "\($0)" } ?? "accepted")")
        #expect(error?.location?.line == 18)
    }

    @Test func scriptsRunThroughGateways() throws {
        let text = Self.cluster.replacingOccurrences(of: "  cells: [zone1, zone2]", with: "  cells: [zone1, zone2]\n  gateways: 2") + """
              - script:
                  gateway: gate-2
                  repeat: 3
                  interval: 5ms
                  statements:
                    - INSERT INTO orders (id, v) VALUES ({i}, 'x{i}')
                    - SELECT COUNT(*) FROM orders
            """
        let scenario = try ScenarioLoader.parse(text, file: "s.yaml")
        guard case .cluster(let cluster) = scenario.system else { Issue.record("not a cluster"); return }
        #expect(cluster.spec.gateways == 2)
        guard case .script(let gateway, let statements, _) = cluster.workloads[1].kind else { Issue.record("not a script"); return }
        #expect(gateway == "gate-2" && statements.count == 6 && statements[4] == "INSERT INTO orders (id, v) VALUES (3, 'x3')")
        #expect(scenario.system.processNames.contains("gate-2"))
        let noGateway = error(Self.cluster + "  - script: {statements: [SELECT 1]}\n")
        #expect(noGateway?.message.contains("no gateway 'gate-1'") == true && noGateway?.location != nil)
        let tooMany = error(Self.cluster.replacingOccurrences(of: "  cells: [zone1, zone2]", with: "  cells: [zone1, zone2]\n  gateways: 40"))
        #expect(tooMany?.message.contains("gateways") == true)
    }

    @Test func generatedWorkloadsAreRead() throws {
        let base = Self.cluster
            .replacingOccurrences(of: "  cells: [zone1, zone2]", with: "  cells: [zone1, zone2]\n  gateways: 2")
            .replacingOccurrences(of: "CREATE TABLE orders (id BIGINT PRIMARY KEY, v VARCHAR(32));",
                                  with: "CREATE TABLE orders (id BIGINT PRIMARY KEY, v VARCHAR(32)); CREATE TABLE lists (k BIGINT PRIMARY KEY, v TEXT); CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);")
        let text = base + """
              - list_append: {gateway: gate-2, clients: 2, keys: 5, ops: 2..3, read_fraction: 0.25, locking_reads: false, mode: multi, count: 40, timeout: 2s}
              - bank: {accounts: 6, max_amount: 9, read_fraction: 0.5, interval: 7ms}

            """
        let scenario = try ScenarioLoader.parse(text, file: "s.yaml")
        guard case .cluster(let cluster) = scenario.system else { Issue.record("not a cluster"); return }
        guard case .listAppend(let lists, let settings, let model) = cluster.workloads[1].kind else { Issue.record("not list-append"); return }
        #expect(lists.keys == 5 && lists.opsPerTransaction == 2...3 && lists.readFraction == 0.25 && !lists.lockingReads)
        #expect(model == .readCommitted, "plain reads are checked as read committed")
        #expect(settings.gateway == "gate-2" && settings.mode == "MULTI" && settings.count == 40 && settings.timeout == .seconds(2))
        #expect(cluster.workloads[1].clients == 2)
        guard case .bank(let bank, let bankSettings) = cluster.workloads[2].kind else { Issue.record("not bank"); return }
        #expect(bank.accounts == 6 && bank.maxAmount == 9 && bank.readFraction == 0.5 && bankSettings.interval == .milliseconds(7))
        for (bad, message) in [
            ("  - list_append: {keys: 5, ops: 3..1}\n", "low to high"),
            ("  - list_append: {consistency: linearizable}\n", "unknown consistency model 'linearizable'"),
            ("  - list_append: {mode: XA}\n", "SINGLE, MULTI or TWOPC"),
            ("  - list_append: {table: orders}\n", "has no 'k'"),
            ("  - bank: {table: ledger}\n", "no keyspace's schema has a table 'ledger'"),
            ("  - bank: {gateway: gate-9}\n", "no gateway 'gate-9'"),
        ] {
            let error = error(base + bad)
            #expect(error?.message.contains(message) == true && error?.location != nil, "\(bad): \(error.map { "\($0)" } ?? "accepted")")
        }
    }

    @Test func transactionFieldsAreRead() throws {
        let text = Self.cluster
            .replacingOccurrences(of: "  cells: [zone1, zone2]", with: "  cells: [zone1, zone2]\n  gateways: 1\n  gateway_buffer: {window: 2s, size: 5}\n  mutants: [promotion_skips_redo]")
            .replacingOccurrences(of: "transaction_timeout: 4s}", with: "transaction_timeout: 4s, twopc_abandon_age: 3s}")
            + "faults:\n  - {at: 1s, twopc_fault: {point: RMCommit_80-_FailNow, gateway: gate-1, action: stall, count: 2}}\n"
        let scenario = try ScenarioLoader.parse(text, file: "s.yaml")
        guard case .cluster(let cluster) = scenario.system else { Issue.record("not a cluster"); return }
        #expect(cluster.spec.gatewayBuffer?.window == .seconds(2) && cluster.spec.gatewayBuffer?.size == 5)
        #expect(cluster.spec.gatewayBuffer?.maxFailoverDuration == .seconds(20))
        #expect(cluster.spec.mutants == .promotionSkipsRedo && cluster.spec.tablet.twoPCAbandonAge == .seconds(3))
        #expect(scenario.faults.map(\.action) == [.twoPCFault(.commitPrepared(shard: "80-"), gateway: "gate-1", action: .stall, count: 2)])
        let unknown = error(text.replacingOccurrences(of: "promotion_skips_redo", with: "skips_everything"))
        #expect(unknown?.message.contains("unknown mutant 'skips_everything'") == true && unknown?.location != nil)
    }

    @Test func quiesceStopsTheClientsAndLetsTheClusterSettle() throws {
        let scenario = try ScenarioLoader.parse("quiesce: 2s\n" + Self.cluster, file: "s.yaml")
        #expect(scenario.quiesce == .seconds(2))
        let report = ScenarioRunner.run(scenario, seed: 1, sink: nil)
        // The run goes on after its duration; the writers stopped at its end.
        #expect(report.virtualTime == SimTime(nanoseconds: 12_000_000_000), "\(report.virtualTime)")
        #expect(report.asExpected, "\(report.verdict)")
        let kernel = error("duration: 5s\nquiesce: 1s\nprocesses:\n  - {name: e, kind: echo}\n")
        #expect(kernel?.message.contains("'quiesce' goes with 'cluster'") == true)
    }

    @Test func clusterFieldsNeedACluster() {
        let kernel = "duration: 5s\nprocesses:\n  - {name: e, kind: echo}\n"
        #expect(error(kernel + "workload:\n  - writer: {keyspace: k, shard: '0', table: t}\n")?.message.contains("'workload' goes with 'cluster'") == true)
        #expect(error(kernel + "faults:\n  - {at: 1s, restart_host: e}\n")?.message.contains("needs a cluster scenario") == true)
        #expect(error(Self.cluster + "processes:\n  - {name: e, kind: echo}\n")?.message.contains("not both") == true)
    }
}

/// `exercises:` makes a run that misses its mechanism fail, whatever else it finds.
@Suite struct CoverageTests {
    func primaryCrash() throws -> Scenario {
        try ScenarioLoader.load(path: Paths.scenarios.appendingPathComponent("primary-crash-ers.yaml").path)
    }

    @Test func aMechanismThatNeverRanIsAViolation() throws {
        var scenario = try primaryCrash()
        scenario.exercises = [.ersCompleted, .prsCompleted]
        let report = ScenarioRunner.run(scenario)
        #expect(!report.asExpected)
        #expect(report.verdict.violations.first?.checker == "coverage")
        #expect(report.verdict.violations.first?.message.contains("never reached prs.completed") == true)
        #expect(report.verdict.violations.count == 1)
        #expect(report.marks.contains { $0.name == "ers.completed" && $0.count == 1 })
    }

    @Test func aMissedMechanismSpoilsAnExpectedViolationToo() {
        let found = Verdict.violation([Violation(checker: "coverage", message: "x"), Violation(checker: "durability", message: "y")])
        #expect(!found.matches(.violation("durability")))
        #expect(!found.matches(.violation(nil)))
        #expect(found.matches(.violation("coverage")))
    }

    @Test func exercisesNameKnownMechanismsOfAClusterOnly() {
        let cluster = ClusterScenarioLoaderTests.cluster
        let kernel = "duration: 5s\nprocesses:\n  - {name: e, kind: echo}\n"
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(kernel + "exercises: [ers.completed]\n", file: "s.yaml") }
        do {
            _ = try ScenarioLoader.parse(cluster + "exercises: [ers.complete]\n", file: "s.yaml")
            Issue.record("accepted an unknown mechanism")
        } catch let error as ScenarioError {
            #expect(error.message.contains("did you mean 'ers.completed'?"))
            #expect(error.location?.line == 17)
        } catch {
            Issue.record("\(error)")
        }
    }
}
