import SimCluster
import SimCore

/// Runs a scenario: builds its system in a fresh simulation, applies the network, the timeline
/// and the random faults, heals everything at the heal time, runs to the end and checks.
public enum ScenarioRunner {
    /// Runs `scenario` with `seed` (its own when nil), streaming the trace to `sink` if given.
    public static func run(_ scenario: Scenario, seed: UInt64? = nil, sink: (any TraceSink)? = nil) -> RunReport {
        switch scenario.system {
        case .kernel(let processes): KernelScenarioRunner.run(scenario, processes: processes, seed: seed ?? scenario.seed, sink: sink)
        case .cluster(let cluster): ClusterScenarioRunner.run(scenario, cluster: cluster, seed: seed ?? scenario.seed, sink: sink)
        }
    }
}
