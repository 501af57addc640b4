import SimCore

/// Every pong a pinger receives answers a ping it sent, and comes from the process it pinged:
/// the network may lose, delay, duplicate and reorder messages, but never invent or misdirect them.
public struct DeliveryChecker: KernelChecker {
    public let name = "delivery"

    public init() {}

    public func check(_ run: KernelRunView) -> [Violation] {
        var violations: [Violation] = []
        for (pinger, history) in run.histories {
            let sent = Set(history.sent.map(\.seq))
            let target = run.simulation.processID(named: history.target)
            for pong in history.received {
                if !sent.contains(pong.seq) {
                    violations.append(Violation(
                        checker: name,
                        message: "\(pinger) received pong \(pong.seq) from \(run.simulation.name(of: pong.from)) at \(pong.time), but never sent ping \(pong.seq)",
                        details: ["\(pinger) sent pings 0...\(history.sent.count - 1)"]))
                } else if pong.from != target {
                    violations.append(Violation(
                        checker: name,
                        message: "\(pinger) received pong \(pong.seq) from \(run.simulation.name(of: pong.from)), but pinged \(history.target)"))
                }
                if violations.count >= 10 { return violations }
            }
        }
        return violations
    }
}
