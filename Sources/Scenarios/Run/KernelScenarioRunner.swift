import SimCore

/// Runs a scenario of ping and echo processes on the bare kernel.
enum KernelScenarioRunner {
    static func run(_ scenario: Scenario, processes: [ProcessSpec], seed: UInt64, sink: (any TraceSink)?) -> RunReport {
        let simulation = Simulation<KernelMessage>(
            seed: seed,
            configuration: .init(network: scenario.network.defaultLink, eventBudget: scenario.budget, traceRingCapacity: 256))
        simulation.attach(sink: sink)
        var histories: [(name: String, history: PingHistory)] = []
        var echoes: [(name: String, store: EchoStore)] = []
        for spec in processes {
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
        FaultScheduling.applyLinks(scenario, to: simulation)
        func id(_ name: String) -> ProcessID {
            guard let id = simulation.processID(named: name) else { preconditionFailure("unvalidated process name \(name)") }
            return id
        }
        for timed in scenario.faults {
            guard let fault = timed.action.fault else { preconditionFailure("cluster step in a kernel scenario") }
            simulation.schedule(fault.map(id), at: SimTime(nanoseconds: timed.at.nanoseconds))
        }
        let healTime = scenario.healAt.map { SimTime(nanoseconds: $0.nanoseconds) }
        let end = SimTime(nanoseconds: scenario.duration.nanoseconds)
        let generator = FaultScheduling.installRandomFaults(scenario, on: simulation, defaultTargets: simulation.processIDs, stop: healTime ?? end)
        if let healTime {
            let kept = PermanentFaults(scenario.faults)
            simulation.schedule(at: healTime) { FaultScheduling.healEverything(simulation, keeping: kept) }
        }
        let outcome = simulation.run(until: end)
        let view = KernelRunView(scenario: scenario, simulation: simulation, histories: histories, echoes: echoes)
        var violations: [Violation] = []
        let checkers = CheckerRegistry.kernelCheckers.filter { scenario.checks.isEmpty || scenario.checks.contains($0.name) }
        if let budget = FaultScheduling.budgetViolation(outcome, budget: scenario.budget, now: simulation.now, end: end) {
            violations.append(budget)
        } else {
            for checker in checkers { violations += checker.check(view) }
        }
        FaultScheduling.record(violations, in: simulation)
        var report = RunReport(
            scenarioName: scenario.name, file: scenario.file, seed: seed,
            verdict: violations.isEmpty ? .pass : .violation(violations), expected: scenario.expect,
            fingerprint: simulation.fingerprint, events: simulation.eventsProcessed, virtualTime: simulation.now,
            outcome: outcome, checks: checkers.map(\.name), recentEvents: simulation.recentEvents)
        report.randomFaultUnits = generator.map { FaultScheduling.timeline(of: $0, simulation: simulation) } ?? []
        return report
    }
}
