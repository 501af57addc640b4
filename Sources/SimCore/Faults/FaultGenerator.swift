/// Injects random faults into a run from its own random stream, as a `FaultMix` says: each enabled
/// kind strikes at random times, hits a random target and heals after a random duration. At the
/// stop time it stops and heals whatever it left, so that a run ends with a fault-free phase in
/// which liveness can be judged.
///
/// Extra kinds (a component's own faults, such as a failed 2PC prepare or a reparent) plug in as
/// `CustomFault`s. The generator lives as long as it has actions scheduled in the simulation.
public final class FaultGenerator<Message: SimMessage> {
    /// A fault kind defined outside the kernel.
    public struct CustomFault {
        public let name: String
        public let rate: FaultRate
        /// Injects the fault now; returns how to heal it (nil when it needs no heal).
        public let inject: (Simulation<Message>, inout RandomStream) -> (() -> Void)?

        public init(name: String, rate: FaultRate, inject: @escaping (Simulation<Message>, inout RandomStream) -> (() -> Void)?) {
            self.name = name
            self.rate = rate
            self.inject = inject
        }
    }

    /// A fault the generator injected, for reports and for writing the run back as a timeline.
    public struct Injection: Sendable, Equatable {
        public let time: SimTime
        public let kind: String
        public let fault: Fault?
        public let healedAt: SimTime
    }

    unowned let simulation: Simulation<Message>
    public let mix: FaultMix
    public let targets: [ProcessID]
    public let start: SimTime
    public let stop: SimTime
    let custom: [CustomFault]
    var random: RandomStream
    /// Targets with a lifecycle fault or a link perturbation in force.
    var downTargets: Set<ProcessID> = []
    var perturbedTargets: Set<ProcessID> = []
    /// Heals still to come, in the order the faults were injected.
    var pendingHeals: [(id: Int, heal: () -> Void)] = []
    var nextHealID = 0
    var partitionCount = 0
    public private(set) var injections: [Injection] = []
    var stopped = false

    public init(
        simulation: Simulation<Message>, mix: FaultMix, targets: [ProcessID], start: SimTime, stop: SimTime,
        custom: [CustomFault] = []
    ) {
        self.simulation = simulation
        self.mix = mix
        self.targets = targets
        self.start = start
        self.stop = stop
        self.custom = custom
        random = simulation.streams.stream("faults")
    }

    /// Schedules the first fault of every enabled kind and the final heal.
    public func install() {
        for entry in mix.entries { scheduleNext(builtIn: entry.kind, rate: entry.rate, after: start) }
        for index in custom.indices { scheduleNext(custom: index, after: start) }
        simulation.schedule(at: stop) { self.finish() }
    }

    func gap(_ rate: FaultRate) -> SimDuration {
        random.duration(in: .zero, rate.meanInterval * 2)
    }

    func scheduleNext(builtIn kind: FaultKind, rate: FaultRate, after time: SimTime) {
        let at = time + gap(rate)
        guard at < stop else { return }
        simulation.schedule(at: at) {
            guard !self.stopped else { return }
            self.strike(kind, rate: rate)
            self.scheduleNext(builtIn: kind, rate: rate, after: self.simulation.now)
        }
    }

    func scheduleNext(custom index: Int, after time: SimTime) {
        let fault = custom[index]
        let at = time + gap(fault.rate)
        guard at < stop else { return }
        simulation.schedule(at: at) {
            guard !self.stopped else { return }
            let duration = self.random.duration(in: fault.rate.minDuration, fault.rate.maxDuration)
            let heal = fault.inject(self.simulation, &self.random)
            let healAt = self.simulation.now + duration
            self.injections.append(Injection(time: self.simulation.now, kind: fault.name, fault: nil, healedAt: healAt))
            if let heal { self.scheduleHeal(at: healAt, heal) }
            self.scheduleNext(custom: index, after: self.simulation.now)
        }
    }

    /// Injects one fault of `kind` on random targets, if a target is free for it.
    func strike(_ kind: FaultKind, rate: FaultRate) {
        let duration = random.duration(in: rate.minDuration, rate.maxDuration)
        let healAt = simulation.now + duration
        var fault: Fault
        var heal: Fault
        var target = ProcessID.none
        switch kind {
        case .partition, .partitionOneWay:
            guard targets.count >= 2 else { return }
            let shuffled = random.shuffled(targets)
            let cut = random.int(in: 1..<shuffled.count)
            partitionCount += 1
            let name = "fault-\(partitionCount)"
            fault = .partition(name: name, sideA: Array(shuffled[..<cut]).sorted(), sideB: Array(shuffled[cut...]).sorted(),
                               oneWay: kind == .partitionOneWay)
            heal = .heal(name: name)
        default:
            let busy = kind.isLifecycle ? downTargets : perturbedTargets
            let free = targets.filter { !busy.contains($0) && simulation.status(of: $0) == .running }
            guard let chosen = random.element(of: free) else { return }
            target = chosen
            switch kind {
            case .crash: fault = .crash(chosen, losingUnsynced: 0); heal = .restart(chosen)
            case .storageLoss:
                fault = .crash(chosen, losingUnsynced: random.int(in: 1..<4)); heal = .restart(chosen)
            case .pause: fault = .pause(chosen); heal = .resume(chosen)
            case .clog:
                fault = .clog(chosen, extraDelay: random.duration(in: .milliseconds(10), .seconds(1))); heal = .unclog(chosen)
            case .loss:
                fault = .degrade(chosen, drop: 0.05 + 0.45 * random.unitDouble(), duplicate: 0, reorder: 0); heal = .restore(chosen)
            case .duplicate:
                fault = .degrade(chosen, drop: 0, duplicate: 0.05 + 0.45 * random.unitDouble(), reorder: 0); heal = .restore(chosen)
            case .reorder:
                fault = .degrade(chosen, drop: 0, duplicate: 0, reorder: 0.05 + 0.45 * random.unitDouble()); heal = .restore(chosen)
            case .partition, .partitionOneWay:
                preconditionFailure("handled above")
            }
            if kind.isLifecycle { downTargets.insert(chosen) } else { perturbedTargets.insert(chosen) }
        }
        simulation.apply(fault)
        injections.append(Injection(time: simulation.now, kind: kind.rawValue, fault: fault, healedAt: healAt))
        let isLifecycle = kind.isLifecycle
        scheduleHeal(at: healAt) {
            self.simulation.apply(heal)
            if !target.isNone {
                if isLifecycle { self.downTargets.remove(target) } else { self.perturbedTargets.remove(target) }
            }
        }
    }

    func scheduleHeal(at time: SimTime, _ heal: @escaping () -> Void) {
        let id = nextHealID
        nextHealID += 1
        pendingHeals.append((id, heal))
        simulation.schedule(at: min(time, stop)) {
            guard let index = self.pendingHeals.firstIndex(where: { $0.id == id }) else { return }
            let entry = self.pendingHeals.remove(at: index)
            entry.heal()
        }
    }

    /// Stops injecting and heals everything still in force, oldest first.
    func finish() {
        stopped = true
        let heals = pendingHeals
        pendingHeals = []
        for entry in heals { entry.heal() }
        simulation.recordNote("faults stopped")
    }
}
