import Scenarios
import SimCore
import Testing

/// Every scenario in scenarios/ replays to the verdict it states.
@Suite struct ScenarioLibraryTests {
    @Test func theLibraryIsNotEmpty() {
        #expect(Paths.scenarioFiles().count >= 4)
    }

    @Test(arguments: Paths.scenarioFiles())
    func replaysToItsStatedVerdict(file: String) throws {
        let scenario = try ScenarioLoader.load(path: file)
        let report = ScenarioRunner.run(scenario)
        #expect(report.asExpected, "\(file): got \(report.verdict), expected \(report.expected): \(report.verdict.violations.first?.message ?? "")")
        #expect(report.outcome != .budgetExhausted)
        let again = ScenarioRunner.run(scenario)
        #expect(again.fingerprint == report.fingerprint, "\(file) does not replay")
    }

    /// The smoke scenario exercises every fault kind of its timeline (coverage marks: a green run
    /// that skipped them would prove nothing).
    @Test func smokeScenarioRunsEveryFault() throws {
        let scenario = try ScenarioLoader.load(path: Paths.scenarios.appendingPathComponent("kernel-smoke.yaml").path)
        let collector = TraceCollector()
        let report = ScenarioRunner.run(scenario, sink: collector)
        #expect(report.verdict == .pass)
        let kinds = Set(collector.events.map(\.kind))
        for kind in [TraceKind.partition, .heal, .crash, .restart, .pause, .resume, .clog, .unclog, .degrade, .restore, .drop, .deliver, .timer] {
            #expect(kinds.contains(kind), "no \(kind.name) event in the smoke run")
        }
        #expect(collector.events.contains { $0.kind == .crash && $0.fields["losing_unsynced"] == .int(1) })
        #expect(collector.events.contains { $0.kind == .drop && $0.detail == "partition" })
        #expect(collector.events.contains { $0.kind == .drop && $0.detail == "down" })
        #expect(collector.events.contains { $0.kind == .note && $0.detail == "heal everything" })
    }
}

extension ScenarioLibraryTests {
    /// The cluster swarm's own seed fails over and fences the old primary: its pass is not vacuous.
    @Test func clusterSwarmSeedOneFailsOverAndFences() throws {
        let scenario = try ScenarioLoader.load(path: Paths.scenarios.appendingPathComponent("cluster-swarm.yaml").path)
        let report = ScenarioRunner.run(scenario)
        #expect(report.verdict == .pass)
        let marks = Dictionary(uniqueKeysWithValues: report.marks.map { ($0.name, $0.count) })
        for mark in ["vtorc.dead_primary", "ers.completed", "tablet.fenced"] {
            #expect((marks[mark] ?? 0) >= 1, "\(mark) never ran: \(report.marks)")
        }
    }
}

@Suite struct CheckerTests {
    func run(_ text: String, seed: UInt64? = nil) throws -> RunReport {
        ScenarioRunner.run(try ScenarioLoader.parse(text, file: "t.yaml"), seed: seed)
    }

    @Test func deliveryCatchesAFabricatedReply() throws {
        let report = try run("""
            duration: 1s
            processes:
              - {name: e, kind: echo, mutant: wrong_reply}
              - {name: p, kind: ping, target: e, interval: 100ms}
            checks: [delivery]
            """)
        let violation = try #require(report.verdict.violations.first)
        #expect(violation.checker == "delivery")
        #expect(violation.message.contains("never sent ping 1000000"))
    }

    @Test func deliveryPassesOnAnHonestLossyNetwork() throws {
        let report = try run("""
            duration: 5s
            network: {latency: 1ms..20ms, drop: 0.2, duplicate: 0.2, reorder: 0.2}
            processes:
              - {name: e, kind: echo}
              - {name: p, kind: ping, target: e, interval: 10ms}
            checks: [delivery]
            """)
        #expect(report.verdict == .pass)
    }

    @Test func livenessCatchesAPermanentFault() throws {
        for fault in ["{at: 1s, crash: e, permanent: true}", "{at: 1s, pause: e, permanent: true}",
                      "{at: 1s, partition: {a: [p], b: [e], one_way: true}, permanent: true}"] {
            let report = try run("""
                duration: 6s
                heal: 3s
                processes:
                  - {name: e, kind: echo}
                  - {name: p, kind: ping, target: e, interval: 100ms}
                faults:
                  - \(fault)
                """)
            #expect(report.verdict.description == "violation: liveness", "\(fault)")
        }
    }

    @Test func livenessPassesWhenTheHealEndsTheFault() throws {
        let report = try run("""
            duration: 6s
            heal: 3s
            processes:
              - {name: e, kind: echo}
              - {name: p, kind: ping, target: e, interval: 100ms}
            faults:
              - {at: 1s, crash: e}
            """)
        #expect(report.verdict == .pass)
    }

    @Test func aRunPastItsBudgetIsAViolation() throws {
        let report = try run("""
            duration: 60s
            budget: 100
            processes:
              - {name: e, kind: echo}
              - {name: p, kind: ping, target: e, interval: 1ms}
            expect: "violation: budget"
            """)
        #expect(report.outcome == .budgetExhausted)
        #expect(report.verdict.description == "violation: budget")
        #expect(report.asExpected)
    }

    @Test func verdictMatchingFollowsTheExpectation() {
        let liveness = Verdict.violation([Violation(checker: "liveness", message: "x")])
        #expect(liveness.matches(.violation(nil)))
        #expect(liveness.matches(.violation("liveness")))
        #expect(!liveness.matches(.violation("delivery")))
        #expect(!liveness.matches(.pass))
        #expect(Verdict.pass.matches(.pass))
        #expect(!Verdict.pass.matches(.violation(nil)))
    }
}
