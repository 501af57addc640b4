import Scenarios
import SimCore
import Testing

/// `simrun fuzz --profile`: every seed's scenario is a file the loader accepts, seeds differ in
/// what they draw, and a seed's file replays the seed's run.
@Suite struct SwarmProfileTests {
    @Test(arguments: SwarmProfile.allCases)
    func everySeedWritesAValidScenario(profile: SwarmProfile) throws {
        var shapes = Set<String>()
        for seed in UInt64(1)...60 {
            let text = profile.scenario(seed: seed)
            let scenario = try ScenarioLoader.parse(text, file: "swarm.yaml")
            #expect(scenario.seed == seed && scenario.expect == .pass)
            guard case .cluster(let cluster) = scenario.system else { Issue.record("not a cluster"); continue }
            shapes.insert("\(cluster.spec.keyspaces[0].shards.count)x\(cluster.spec.keyspaces[0].replicas) \(cluster.workloads.count)w \(cluster.spec.gateways)g")
            #expect(profile.scenario(seed: seed) == text, "the same seed draws the same scenario")
        }
        #expect(shapes.count >= 8, "seeds should draw varied shapes: \(shapes.sorted())")
    }

    @Test func aSeedOfTheCIProfilePassesAndReplays() throws {
        let scenario = try ScenarioLoader.parse(SwarmProfile.ci.scenario(seed: 3), file: "swarm.yaml")
        let report = ScenarioRunner.run(scenario)
        #expect(report.asExpected, "\(report.verdict)")
        #expect(report.events > 1_000 && !report.randomFaultUnits.isEmpty, "the run did something: \(report.events) events")
        #expect(ScenarioRunner.run(scenario).fingerprint == report.fingerprint)
    }
}
