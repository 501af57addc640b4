import Scenarios
import SimCore
import Testing

/// `simrun shrink`'s engine: the result is a scenario file that loads and replays the same
/// violation, with fewer faults than the run it started from.
@Suite struct ShrinkerTests {
    /// A defective echo under random faults: the delivery violation needs none of them, so every
    /// random fault goes, after being written out as a timeline.
    @Test func removesEveryFaultTheViolationDoesNotNeed() throws {
        let text = """
            name: wrong-reply-under-faults
            seed: 3
            duration: 6s
            heal: 5s
            processes:
              - {name: echo-1, kind: echo, mutant: wrong_reply}
              - {name: echo-2, kind: echo}
              - {name: ping-1, kind: ping, target: echo-1, interval: 50ms}
              - {name: ping-2, kind: ping, target: echo-2, interval: 50ms}
            random_faults:
              kinds:
                partition: {every: 500ms, lasting: 100ms..400ms}
                crash: {every: 1s, lasting: 100ms..300ms}
            expect: pass
            """
        let original = ScenarioRunner.run(try ScenarioLoader.parse(text, file: "t.yaml"))
        #expect(original.randomFaultUnits.count > 5, "the run injected \(original.randomFaultUnits.count) faults")
        let result = try ScenarioShrinker(path: "t.yaml", seed: 3).shrink(text: text)
        #expect(result.checker == "delivery")
        #expect(result.steps.first?.contains("random faults as a timeline") == true, "\(result.steps)")
        #expect(result.faults == 0 && result.originalFaults == original.randomFaultUnits.count)
        // The file stands on its own: it loads, has no random faults, and replays the violation.
        let shrunk = try ScenarioLoader.parse(result.text, file: "t.yaml")
        #expect(shrunk.randomFaults == nil && shrunk.faults.isEmpty)
        let replay = ScenarioRunner.run(shrunk)
        #expect(replay.verdict.violations.contains { $0.checker == "delivery" })
        #expect(replay.fingerprint == result.report.fingerprint)
    }

    /// A violation that needs a fault keeps it: the async failover loses writes only if the
    /// primary dies while the replicas lag.
    @Test func keepsTheFaultsTheViolationNeeds() throws {
        let path = Paths.scenarios.appendingPathComponent("async-failover-loses-writes.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let result = try ScenarioShrinker(path: path, seed: 2).shrink(text: text)
        #expect(result.checker == "durability" && result.faults >= 1 && result.faults < result.originalFaults)
        let shrunk = try ScenarioLoader.parse(result.text, file: path)
        #expect(shrunk.faults.contains { if case .crashHost = $0.action { true } else { false } }, "the crash must stay")
        #expect(ScenarioRunner.run(shrunk).verdict.violations.contains { $0.checker == "durability" })
    }

    /// Reductions add up: the duplicate key across shards needs neither four shards, nor three
    /// clients, nor several statements per transaction, and the shrunk file has none of them at
    /// once (each reduction is drawn from the result of the last one kept).
    @Test func reductionsOfTheClusterAndWorkloadAddUp() throws {
        let path = Paths.scenarios.appendingPathComponent("crud-unique-key-across-shards.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let result = try ScenarioShrinker(path: path, seed: 1).shrink(text: text)
        #expect(result.checker == "oracle")
        let shrunk = try ScenarioLoader.parse(result.text, file: path)
        guard case .cluster(let cluster) = shrunk.system, case .crud(let crud, _) = cluster.workloads[0].kind else {
            Issue.record("not a CRUD cluster scenario")
            return
        }
        #expect(cluster.spec.keyspaces[0].shards.count == 2 && cluster.workloads[0].clients == 1, "\(result.steps)")
        #expect(crud.opsPerTransaction == 1...1 && crud.keys < 6, "\(result.steps)")
        #expect(ScenarioRunner.run(shrunk).verdict.violations.contains { $0.checker == "oracle" })
    }

    @Test func aPassingRunIsNotShrunk() throws {
        let path = Paths.scenarios.appendingPathComponent("kernel-smoke.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(throws: ScenarioShrinker.ShrinkError.self) { try ScenarioShrinker(path: path, seed: 1).shrink(text: text) }
    }
}
