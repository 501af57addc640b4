import SimCluster
import SimCore

/// What the final heal leaves in force: the permanent faults of the timeline.
struct PermanentFaults {
    var partitions: Set<String> = []
    var down: Set<String> = []
    var clogged: Set<String> = []
    var degraded: Set<String> = []

    init(_ steps: [TimedFault]) {
        for step in steps where step.permanent {
            switch step.action {
            case .fault(.partition(let name?, _, _, _)): partitions.insert(name)
            case .fault(.crash(let p, _)), .fault(.pause(let p)): down.insert(p)
            case .fault(.clog(let p, _)): clogged.insert(p)
            case .fault(.degrade(let p, _, _, _)): degraded.insert(p)
            case .crashHost(let alias, _):
                down.insert(alias)
                down.insert(TabletConfiguration.mysqldName(alias))
            default: break
            }
        }
    }
}

/// Timeline, random faults and the final heal, for any system.
enum FaultScheduling {
    /// Installs the random fault generator, if the scenario has one.
    @discardableResult
    static func installRandomFaults<Message>(_ scenario: Scenario, on simulation: Simulation<Message>, defaultTargets: [ProcessID],
                                             stop: SimTime) -> FaultGenerator<Message>? {
        guard let random = scenario.randomFaults else { return nil }
        let mix: FaultMix
        switch random.mix {
        case .explicit(let explicit): mix = explicit
        case .swarm(let kinds):
            var stream = simulation.streams.stream("swarm")
            mix = FaultMix.swarm(&stream, kinds: kinds)
        }
        let targets = random.targets.map { $0.compactMap(simulation.processID(named:)) } ?? defaultTargets
        let generator = FaultGenerator(simulation: simulation, mix: mix, targets: targets, start: SimTime(nanoseconds: random.start.nanoseconds),
                                       stop: stop)
        generator.install()
        return generator
    }

    /// The faults a generator injected, written back as timeline steps: each fault with its heal
    /// (at the time it healed, the stop at the latest), so that a scenario file can replay them
    /// without the generator (the shrinker starts from these).
    static func timeline<Message>(of generator: FaultGenerator<Message>, simulation: Simulation<Message>) -> [[TimedFault]] {
        var units: [[TimedFault]] = []
        for injection in generator.injections {
            var steps: [TimedFault] = []
            guard let fault = injection.fault else { continue }
            let named = fault.map { simulation.name(of: $0) }
            let heal: FaultAction<String>? = switch named {
            case .partition(let name, _, _, _): .heal(name: name)
            case .crash(let p, _): .restart(p)
            case .pause(let p): .resume(p)
            case .clog(let p, _): .unclog(p)
            case .degrade(let p, _, _, _): .restore(p)
            case .heal, .restart, .resume, .unclog, .restore: nil
            }
            let at = SimDuration(nanoseconds: injection.time.nanoseconds)
            steps.append(TimedFault(at: at, action: .fault(named), permanent: false, location: nil))
            if let heal {
                let healedAt = SimDuration(nanoseconds: min(injection.healedAt, generator.stop).nanoseconds)
                steps.append(TimedFault(at: healedAt, action: .fault(heal), permanent: false, location: nil))
            }
            units.append(steps)
        }
        return units
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

    /// Applies the link overrides of the scenario's network section.
    static func applyLinks<Message>(_ scenario: Scenario, to simulation: Simulation<Message>) {
        for link in scenario.network.links {
            guard let from = simulation.processID(named: link.from), let to = simulation.processID(named: link.to) else { continue }
            simulation.setLink(from: from, to: to, link.config)
            if link.bothWays { simulation.setLink(from: to, to: from, link.config) }
        }
    }

    /// The violations a run's end brings: its event budget, recorded in the trace.
    static func budgetViolation(_ outcome: RunOutcome, budget: Int, now: SimTime, end: SimTime) -> Violation? {
        guard outcome == .budgetExhausted else { return nil }
        return Violation(checker: "budget", message: "the run spent its budget of \(budget) events at \(now), before its end at \(end)")
    }

    static func record<Message>(_ violations: [Violation], in simulation: Simulation<Message>) {
        for violation in violations.prefix(5) {
            var fields = TraceFields()
            fields.add("message", violation.message)
            simulation.recordNote("violation: \(violation.checker)", fields)
        }
    }
}
