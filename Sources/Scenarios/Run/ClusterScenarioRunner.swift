import SimCluster
import SimCore

/// Runs a scenario of a Vitess cluster and its workload.
enum ClusterScenarioRunner {
    static func run(_ scenario: Scenario, cluster clusterScenario: ClusterScenario, seed: UInt64, sink: (any TraceSink)?) -> RunReport {
        let cluster: Cluster
        do {
            cluster = try Cluster(spec: clusterScenario.spec, seed: seed, eventBudget: scenario.budget, traceRingCapacity: 256)
        } catch {
            // The loader checked the schema, so this is a defect of the node, reported as such.
            let violation = Violation(checker: "setup", message: "the cluster could not be built: \(error)")
            return RunReport(scenarioName: scenario.name, file: scenario.file, seed: seed, verdict: .violation([violation]),
                             expected: scenario.expect, fingerprint: 0, events: 0, virtualTime: .zero, outcome: .quiescent,
                             checks: [], recentEvents: [])
        }
        let simulation = cluster.simulation
        simulation.attach(sink: sink)
        var writers: [(name: String, history: WriteHistory)] = []
        var gatewayClients: [(name: String, history: GatewayHistory)] = []
        var transactionWorkloads: [TransactionWorkloadRun] = []
        var sessions: [(name: String, history: ReadYourWritesHistory)] = []
        var clientNumber = 0
        for workload in clusterScenario.workloads {
            var histories: [TransactionHistory] = []
            defer { if !histories.isEmpty { transactionWorkloads.append(TransactionWorkloadRun(kind: workload.kind, histories: histories)) } }
            for _ in 0..<workload.clients {
                clientNumber += 1
                let name = "client-\(clientNumber)"
                if let (generator, settings) = workload.kind.transactional {
                    let history = TransactionHistory()
                    histories.append(history)
                    cluster.addTransactionClient(named: name, number: clientNumber, workload: generator, settings: settings, history: history)
                    continue
                }
                switch workload.kind {
                case .writer(let keyspace, let shard, let table):
                    let history = WriteHistory()
                    writers.append((name, history))
                    cluster.addWriter(named: name, keyspace: keyspace, shard: shard, table: table, interval: workload.interval,
                                      firstID: Int64(clientNumber) * 1_000_000_000 + 1, history: history)
                case .script(let gateway, let statements, let timeout):
                    let history = GatewayHistory()
                    gatewayClients.append((name, history))
                    cluster.addGatewayClient(named: name, gateway: gateway, script: statements, interval: workload.interval,
                                             timeout: timeout, history: history)
                case .readYourWrites(let gateway, let keyspace, let table, let timeout):
                    let history = ReadYourWritesHistory()
                    sessions.append((name, history))
                    cluster.addReadYourWritesClient(named: name, number: clientNumber, gateway: gateway, keyspace: keyspace, table: table,
                                                    interval: workload.interval, timeout: timeout, history: history)
                case .listAppend, .bank, .counter, .crud:
                    preconditionFailure("generated transactional workloads start above")
                }
            }
        }
        FaultScheduling.applyLinks(scenario, to: simulation)
        func id(_ name: String) -> ProcessID {
            guard let id = simulation.processID(named: name) else { preconditionFailure("unvalidated process name \(name)") }
            return id
        }
        for timed in scenario.faults {
            let at = SimTime(nanoseconds: timed.at.nanoseconds)
            switch timed.action {
            case .fault(let fault): simulation.schedule(fault.map(id), at: at)
            case .crashHost(let alias, let losing): cluster.crashHost(alias, at: at, losingUnsynced: losing)
            case .restartHost(let alias): cluster.restartHost(alias, at: at)
            case .reparent(let request): cluster.requestReparent(request, at: at)
            case .twoPCFault(let point, let gateway, let action, let count):
                let faults = cluster.faultPoints
                simulation.schedule(at: at) { faults.arm(point, gateway: gateway, action: action, count: count) }
            }
        }
        let healTime = scenario.healAt.map { SimTime(nanoseconds: $0.nanoseconds) }
        let end = SimTime(nanoseconds: scenario.duration.nanoseconds)
        let hosts = cluster.shards.flatMap(\.tablets).flatMap { [$0.tablet, $0.mysqld] }
        let generator = FaultScheduling.installRandomFaults(scenario, on: simulation, defaultTargets: hosts, stop: healTime ?? end)
        var armings: [TimedFault] = []
        if let random = scenario.randomFaults, let points = random.twoPCPoints {
            armings = Self.armRandomTwoPCPoints(points, cluster: cluster, start: SimTime(nanoseconds: random.start.nanoseconds), stop: healTime ?? end)
        }
        if let healTime {
            let kept = PermanentFaults(scenario.faults)
            simulation.schedule(at: healTime) { FaultScheduling.healEverything(simulation, keeping: kept) }
        }
        var outcome = simulation.run(until: end)
        if scenario.quiesce > .zero && outcome != .budgetExhausted {
            // The workload stops; what it left in flight settles before the checks.
            for name in clusterScenario.clientNames {
                if let client = simulation.processID(named: name) { simulation.apply(.crash(client, losingUnsynced: 0)) }
            }
            outcome = simulation.run(until: end + scenario.quiesce)
        }
        let view = ClusterRunView(scenario: scenario, cluster: cluster, writers: writers, gatewayClients: gatewayClients,
                                  transactionWorkloads: transactionWorkloads, readYourWrites: sessions)
        var violations: [Violation] = []
        let checkers = CheckerRegistry.clusterCheckers.filter { scenario.checks.isEmpty ? $0.byDefault : scenario.checks.contains($0.name) }
        if let budget = FaultScheduling.budgetViolation(outcome, budget: scenario.budget, now: simulation.now, end: end) {
            violations.append(budget)
        } else {
            // Coverage first: a run that missed its mechanism explains nothing else.
            violations += Self.coverage(scenario.exercises, marks: cluster.observer)
            for checker in checkers { violations += checker.check(view) }
        }
        FaultScheduling.record(violations, in: simulation)
        var report = RunReport(
            scenarioName: scenario.name, file: scenario.file, seed: seed,
            verdict: violations.isEmpty ? .pass : .violation(violations), expected: scenario.expect,
            fingerprint: simulation.fingerprint, events: simulation.eventsProcessed, virtualTime: simulation.now,
            outcome: outcome, checks: checkers.map(\.name), recentEvents: simulation.recentEvents,
            marks: cluster.observer.marks.sorted { $0.key < $1.key }.map { ($0.key.rawValue, $0.value) })
        report.notes = view.notes.lines
        report.randomFaultUnits = (generator.map { FaultScheduling.timeline(of: $0, simulation: simulation) } ?? []) + armings.map { [$0] }
        return report
    }

    /// Arms 2PC fault points at random times until `stop`, from the run's own stream; returns
    /// the armings as timeline steps.
    static func armRandomTwoPCPoints(_ points: RandomTwoPCPoints, cluster: Cluster, start: SimTime, stop: SimTime) -> [TimedFault] {
        var steps: [TimedFault] = []
        var stream = cluster.simulation.streams.stream("twopc_points")
        let shards = cluster.shards.map(\.name)
        let faults = cluster.faultPoints
        var at = start
        while true {
            at = at + stream.duration(in: points.every / 2, points.every + points.every / 2)
            guard at < stop else { break }
            let shard = stream.element(of: shards) ?? "0"
            let point: TwoPCFaultPoint = switch stream.int(in: 0..<5) {
            case 0: .transactionCreated
            case 1: .prepare(shard: shard)
            case 2: .allPrepared
            case 3: .metadataManagerCommitted
            default: .commitPrepared(shard: shard)
            }
            let action: TwoPCFaultAction = stream.chance(points.stall) ? .stall : .fail
            cluster.simulation.schedule(at: at) { faults.arm(point, action: action) }
            steps.append(TimedFault(at: SimDuration(nanoseconds: at.nanoseconds), action: .twoPCFault(point, gateway: nil, action: action, count: 1),
                                    permanent: false, location: nil))
        }
        return steps
    }

    /// A violation for every mechanism the scenario says it exercises that never ran: such a run
    /// would pass without testing what it is about.
    static func coverage(_ exercises: [ClusterMark], marks: ClusterObserver) -> [Violation] {
        exercises.filter { marks.count($0) == 0 }.map { mark in
            Violation(checker: "coverage", message: "the run never reached \(mark.rawValue), which the scenario exercises",
                      details: ["reached: " + (marks.marks.keys.sorted().map(\.rawValue).joined(separator: ", ").nonEmpty ?? "nothing")])
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
