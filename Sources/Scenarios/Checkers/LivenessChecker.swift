import SimCore

/// Once every fault has healed, each pinger gets an answer again within the liveness bound: a ping
/// sent after the heal is answered before `heal + bound`.
public struct LivenessChecker: KernelChecker {
    public let name = "liveness"

    public init() {}

    public func check(_ run: KernelRunView) -> [Violation] {
        let scenario = run.scenario
        guard let healAt = scenario.healAt else { return [] }
        let healTime = SimTime(nanoseconds: healAt.nanoseconds)
        let deadline = healTime + scenario.livenessBound
        guard run.simulation.now >= deadline else { return [] }
        var violations: [Violation] = []
        for (pinger, history) in run.histories {
            let sentAfter = Set(history.sent.filter { $0.time >= healTime }.map(\.seq))
            if sentAfter.isEmpty { continue }
            let answered = history.received.contains { sentAfter.contains($0.seq) && $0.time <= deadline }
            if !answered {
                let lastPong = history.received.last.map { "its last pong arrived at \($0.time)" } ?? "it never received a pong"
                violations.append(Violation(
                    checker: name,
                    message: "\(pinger) sent \(sentAfter.count) pings to \(history.target) after the heal at \(healTime) and none was answered by \(deadline); \(lastPong)",
                    details: faultsInForce(run, at: deadline)))
            }
        }
        return violations
    }

    func faultsInForce(_ run: KernelRunView, at time: SimTime) -> [String] {
        var lines = run.simulation.network.partitions.active.map { p in
            "partition \(p.name) is still in force: \(p.sideA.map(run.simulation.name(of:))) \(p.oneWay ? "->" : "<->") \(p.sideB.map(run.simulation.name(of:)))"
        }
        for id in run.simulation.processIDs where run.simulation.status(of: id) != .running {
            lines.append("\(run.simulation.name(of: id)) is \(run.simulation.status(of: id).rawValue)")
        }
        return lines
    }
}
