import SimCore

/// Runs a scenario: builds the system in a fresh simulation, applies the network, the fault
/// timeline and the random faults, heals everything at the heal time, runs to the end and checks.
public enum ScenarioRunner {
    /// Runs `scenario` with `seed` (its own when nil), streaming the trace to `sink` if given.
    public static func run(_ scenario: Scenario, seed: UInt64? = nil, sink: (any TraceSink)? = nil) -> RunReport {
        let seed = seed ?? scenario.seed
        let simulation = Simulation<KernelMessage>(
            seed: seed,
            configuration: .init(network: scenario.network.defaultLink, eventBudget: scenario.budget, traceRingCapacity: 256))
        simulation.attach(sink: sink)
        var histories: [(name: String, history: PingHistory)] = []
        var echoes: [(name: String, store: EchoStore)] = []
        for spec in scenario.processes {
            switch spec.kind {
            case .echo:
                let store = EchoStore()
                echoes.append((spec.name, store))
                let wrongReply = spec.mutant == "wrong_reply"
                simulation.addProcess(named: spec.name, durable: store) { EchoProcess(store: $0, wrongReply: wrongReply) }
            case .ping:
                let history = PingHistory(target: spec.target ?? "")
                histories.append((spec.name, history))
                let interval = spec.interval
                let count = spec.count
                simulation.addProcess(named: spec.name, durable: history) {
                    PingProcess(history: $0, interval: interval, count: count)
                }
            }
        }
        func id(_ name: String) -> ProcessID {
            guard let id = simulation.processID(named: name) else { preconditionFailure("unvalidated process name \(name)") }
            return id
        }
        for link in scenario.network.links {
            simulation.setLink(from: id(link.from), to: id(link.to), link.config)
            if link.bothWays { simulation.setLink(from: id(link.to), to: id(link.from), link.config) }
        }
        for timed in scenario.faults {
            simulation.schedule(timed.action.map(id), at: SimTime(nanoseconds: timed.at.nanoseconds))
        }
        let healTime = scenario.healAt.map { SimTime(nanoseconds: $0.nanoseconds) }
        let end = SimTime(nanoseconds: scenario.duration.nanoseconds)
        if let random = scenario.randomFaults {
            let mix: FaultMix
            switch random.mix {
            case .explicit(let explicit): mix = explicit
            case .swarm(let kinds):
                var stream = simulation.streams.stream("swarm")
                mix = FaultMix.swarm(&stream, kinds: kinds)
            }
            let targets = (random.targets ?? scenario.processes.map(\.name)).map(id)
            let generator = FaultGenerator(
                simulation: simulation, mix: mix, targets: targets,
                start: SimTime(nanoseconds: random.start.nanoseconds), stop: healTime ?? end)
            generator.install()
        }
        if let healTime {
            let kept = PermanentFaults(scenario.faults.filter(\.permanent).map(\.action))
            simulation.schedule(at: healTime) { healEverything(simulation, keeping: kept) }
        }
        let outcome = simulation.run(until: end)
        let view = KernelRunView(scenario: scenario, simulation: simulation, histories: histories, echoes: echoes)
        var violations: [Violation] = []
        if outcome == .budgetExhausted {
            violations.append(Violation(
                checker: "budget",
                message: "the run spent its budget of \(scenario.budget) events at \(simulation.now), before its end at \(end)"))
        }
        let checkers = CheckerRegistry.kernelCheckers.filter { scenario.checks.isEmpty || scenario.checks.contains($0.name) }
        if outcome != .budgetExhausted {
            for checker in checkers { violations += checker.check(view) }
        }
        for violation in violations.prefix(5) {
            var fields = TraceFields()
            fields.add("message", violation.message)
            simulation.recordNote("violation: \(violation.checker)", fields)
        }
        return RunReport(
            scenarioName: scenario.name, file: scenario.file, seed: seed,
            verdict: violations.isEmpty ? .pass : .violation(violations), expected: scenario.expect,
            fingerprint: simulation.fingerprint, events: simulation.eventsProcessed, virtualTime: simulation.now,
            outcome: outcome, checks: checkers.map(\.name), recentEvents: simulation.recentEvents)
    }

    /// What the final heal leaves in force.
    struct PermanentFaults {
        var partitions: Set<String> = []
        var down: Set<String> = []
        var clogged: Set<String> = []
        var degraded: Set<String> = []

        init(_ actions: [FaultAction<String>]) {
            for action in actions {
                switch action {
                case .partition(let name?, _, _, _): partitions.insert(name)
                case .crash(let p, _), .pause(let p): down.insert(p)
                case .clog(let p, _): clogged.insert(p)
                case .degrade(let p, _, _, _): degraded.insert(p)
                default: break
                }
            }
        }
    }

    /// Ends every fault in force but the permanent ones: partitions healed, crashed processes
    /// restarted, paused ones resumed, links back to normal.
    static func healEverything<Message>(_ simulation: Simulation<Message>, keeping kept: PermanentFaults) {
        simulation.recordNote("heal everything")
        for partition in simulation.network.partitions.active where !kept.partitions.contains(partition.name) {
            simulation.apply(.heal(name: partition.name))
        }
        for id in simulation.processIDs {
            let name = simulation.name(of: id)
            if !kept.down.contains(name) {
                switch simulation.status(of: id) {
                case .crashed: simulation.apply(.restart(id))
                case .paused: simulation.apply(.resume(id))
                case .running: break
                }
            }
            let perturbation = simulation.network.perturbation(of: id)
            if perturbation.extraDelay != .zero && !kept.clogged.contains(name) { simulation.apply(.unclog(id)) }
            if (perturbation.drop > 0 || perturbation.duplicate > 0 || perturbation.reorder > 0) && !kept.degraded.contains(name) {
                simulation.apply(.restore(id))
            }
        }
    }
}
